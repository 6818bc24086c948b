import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

// The layers of src/ and the imports each may not make: eslint.layers.cjs.
import layers from './eslint.layers.cjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'sandbox/.cache/',
      'build/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    // The scaffold lints TypeScript under src/ only; the tooling around it is TypeScript too.
    files: [
      'sandbox/**/*.{ts,tsx}',
      'tests/**/*.ts',
      'scripts/**/*.ts',
      'bench/**/*.ts',
      'docker/*.ts',
      'playwright.config.ts',
    ],
    languageOptions: {
      parserOptions: {
        project: './tsconfig.json',
      },
    },
  },
  ...layers,
  {
    // Playwright fixtures call their callback `use`, which is not a React hook.
    files: ['tests/**/*.ts'],
    rules: {
      'react-hooks/rules-of-hooks': 'off',
    },
  },
]);
