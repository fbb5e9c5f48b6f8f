/**
 * ESLint, type-aware (`npm run lint`, in `npm test`): the mistakes tsc lets through, above all
 * promises nobody waits for. In an MV3 worker a forgotten promise is a rejection nobody handles
 * and a step that may never run before the worker stops. Formatting is Prettier's; unused names
 * are tsc's (noUnusedLocals, noUnusedParameters); folder boundaries are dependency-cruiser's.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Test code: fakes, fixtures and JSON read back, where some rules say nothing useful. */
const TESTS = ['tests/**', '**/*.test.{ts,tsx}'];

export default tseslint.config(
  {
    ignores: [
      '.output/',
      '.wxt/',
      'portal/data/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
      'demo-screenshots/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // tsc already reports unused names, and allows the `_`-prefixed ones we keep on purpose.
      '@typescript-eslint/no-unused-vars': 'off',
      // `return promise` inside try skips the catch and the finally: await it there (and only
      // there: elsewhere `return await` is a matter of taste).
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
    },
  },
  {
    files: TESTS,
    rules: {
      // `expect(fake.method).toHaveBeenCalled()` reads a method without calling it: not a bug.
      '@typescript-eslint/unbound-method': 'off',
      // Fakes of async interfaces are `async` with nothing to await: the interface is the point.
      '@typescript-eslint/require-await': 'off',
      // Tests read JSON (manifests, answers, zips) and poke at it; `expect` checks its shape.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // They reject with what the real APIs reject with: a DOMException, an abort reason.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    // Our few CommonJS files (dependency-cruiser's configs), linted without types.
    files: ['**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked] },
);
