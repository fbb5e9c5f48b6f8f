import { defineConfig } from 'vitest/config';

/**
 * Tests of what a store receives: they build the extension (Chrome, Firefox, another brand),
 * lint and zip it, then read the files. One file at a time: each build takes a few seconds of
 * both cores, and WXT regenerates `.wxt/` on every build.
 */
export default defineConfig({
  test: {
    include: ['tests/build/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
