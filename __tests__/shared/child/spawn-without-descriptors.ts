/**
 * Runs in a process of its own (see process-runner.test.ts): takes every free file descriptor,
 * then asks the runner to start git, and prints how that ended as JSON.
 */
import { openSync } from 'node:fs';
import { createProcessRunner } from '../../../src/shared/process-runner.js';

const held: number[] = [];
for (;;) {
  try {
    held.push(openSync('/dev/null', 'r'));
  } catch {
    break;
  }
}
const outcome = await createProcessRunner()
  .run('git', ['--version'])
  .then(
    (result) => ({ resolved: result }),
    (error: unknown) => ({ rejected: String(error) }),
  );
process.stdout.write(JSON.stringify({ held: held.length, ...outcome }));
