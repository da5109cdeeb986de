/**
 * Browser tests: one fork, one file at a time, long timeouts (Chromium and the
 * dev server start once per file). Run after the unit tests by `npm test`.
 */
import { defineConfig } from 'vitest/config';
import { reporters } from './tests/support/report.ts';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    ...reporters('e2e'),
  },
});
