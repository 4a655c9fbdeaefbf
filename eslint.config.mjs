// ESLint flat config: the recommended JavaScript and typescript-eslint rules (syntax-only, so the
// lint stays fast; `npm run typecheck` does the type checking).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'out/', 'node_modules/', '.fixtures/', 'test-results/', '.vscode-test/', 'src/core/proto/generated/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['webview/**/*.ts', 'webview/**/*.mts', 'media/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
);
