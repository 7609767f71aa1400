import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real registries and git repositories; keep them in separate
    // processes so that a crashed child never takes another file's state with it.
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      // Today's level, so that it can only go up; the modules that decide bytes Helm compares
      // (the config blob's JSON strings, the tar headers) are covered completely.
      thresholds: {
        statements: 85,
        branches: 75,
        // The action's glue (main.ts, workflow commands, the run's ending) runs in the bundle
        // tests' child processes, which v8 coverage of the test workers does not see.
        functions: 88,
        lines: 87,
        '**/go-json.ts': { 100: true },
        '**/tar-writer.ts': { 100: true },
      },
    },
  },
});
