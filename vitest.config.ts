import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real registries and git repositories; keep them in separate
    // processes so that a crashed child never takes another file's state with it.
    pool: 'forks',
  },
});
