// An unexpected error's stack points at the TypeScript sources (dist/*.map), not at the bundle.
process.setSourceMapsEnabled(true);

const { run } = await import('./main.js');
await run();
