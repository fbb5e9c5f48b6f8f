import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { buildConfigDefine } from './utils/build/config';

export default defineConfig({
  plugins: [WxtVitest()],
  define: buildConfigDefine({}),
  test: {
    include: [
      'tests/unit/**/*.test.{ts,tsx}',
      'tests/contract/**/*.test.ts',
      'utils/**/*.test.ts',
      'components/**/*.test.tsx',
      'portal/**/*.test.ts',
    ],
    setupFiles: ['tests/unit/setup.ts'],
  },
});
