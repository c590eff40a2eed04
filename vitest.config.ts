import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql: without this alias vitest can load the ESM and the CJS builds side by side
    // and graphql then refuses schemas built by "another module or realm".
    alias: { graphql: require.resolve('graphql/index.js') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Apollo gateway telemetry and cloud-metadata probes stay off in tests too.
    env: { APOLLO_TELEMETRY_DISABLED: '1', NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
