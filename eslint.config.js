import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'screenshots/**', 'test/fixtures/**', 'tmp/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-control-regex': 'off',
			eqeqeq: ['error', 'smart'],
		},
	},
	{
		// The core is pure: strings and numbers in, plain data out. No UI, no processes.
		files: ['source/core/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', {
				patterns: [
					{group: ['ink', 'ink-*', 'react', 'react/*', '@alcalzone/*'], message: 'source/core never imports the UI.'},
					{group: ['execa', 'node:child_process', 'child_process'], message: 'source/core never runs commands; the collector does.'},
					{group: ['**/ui/**', '**/collect/**', '**/lab/**'], message: 'source/core depends on nothing outside itself.'},
				],
			}],
		},
	},
	{
		files: ['**/*.{js,mjs}'],
		languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
	},
	{
		// The standalone executable's CommonJS entry (a Node SEA runs one CommonJS script).
		files: ['**/*.cjs'],
		languageOptions: {sourceType: 'commonjs', globals: {process: 'readonly', require: 'readonly', globalThis: 'readonly'}},
		rules: {'@typescript-eslint/no-require-imports': 'off'},
	},
);
