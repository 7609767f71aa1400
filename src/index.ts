// The entry: main and everything a run always needs are one chunk; signing, Sigstore, the GitHub
// API client and the schema gate are chunks of their own, loaded by the runs that use them.
// An unexpected error's stack is mapped to src/*.ts when it is logged (source-mapped-stack.ts).
const { run } = await import('./main.js');
await run();
