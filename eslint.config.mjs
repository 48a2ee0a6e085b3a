// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nodePlugin from 'eslint-plugin-n';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '**/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { n: nodePlugin },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Every package imported must be declared by the workspace that imports it.
      'n/no-extraneous-import': 'error',
      'no-console': 'error',
    },
  },
  {
    // Services ship as images; the local broker (and any dev-only server) must not ride along.
    files: [
      'packages/*/src/**/*.ts',
      'legacy-monolith/src/**/*.ts',
      'subgraphs/*/src/**/*.ts',
      'gateway/src/**/*.ts',
      'events/src/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@cinemaabyss/local-infra',
                '@cinemaabyss/local-infra/*',
                '**/tools/local-infra/**',
              ],
              message:
                'local-infra is development tooling (npm start, tests, bench); runtime code must not import it.',
            },
            {
              group: ['@apollo/*/dist/*', '@apollo/*/dist/**'],
              message:
                "A package's dist/ is not its API; resolver types come from `npm run codegen`.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
