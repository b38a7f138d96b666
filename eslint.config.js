import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['error'] }],
      // With verbatimModuleSyntax, `import { type A }` still loads the module; say `import type`.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // The wording people read, and the limits the pages get, come from one place.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: [
                'ArrayMaxSize',
                'ArrayMinSize',
                'IsBoolean',
                'IsDefined',
                'IsEmail',
                'IsInt',
                'IsNotEmpty',
                'IsString',
                'Length',
                'Max',
                'MaxLength',
                'Min',
                'MinLength',
                'IsOptional',
                'IsDate',
                'IsDateString',
                'IsISO8601',
                'IsRFC3339',
              ],
              message:
                'Use src/common/validation/validators.ts (and Required() for a field that must be given): they carry the wording and the limits; Optional() lets a field be left out, not null; IsDateTime() is the one date rule.',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/common/validation/validators.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['test/**', 'bench/**', '**/*.spec.ts', 'src/database/migration-cli.ts', 'scripts/**'],
    languageOptions: { globals: { ...globals.jest } },
    rules: { 'no-console': 'off' },
  },
  // The pages' one script runs in the browser, as a classic script.
  {
    files: ['src/web/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  // The demo is a command-line program: printing is its output.
  { files: ['demo/**'], rules: { 'no-console': 'off' } },
  prettier,
);
