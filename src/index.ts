// The entry, with main and what every run needs; what only some runs need (signing, Sigstore,
// the GitHub API client, the schema gate, the Artifact Hub annotation lint, the tar reader,
// discovery by event, dependencies, migration) are chunks of their own, loaded when used
// (scripts/build.js). An unexpected error's stack is mapped to src/*.ts when it is logged
// (source-mapped-stack.ts).
import { run } from './main.js';

await run();
