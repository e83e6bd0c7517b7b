// Lint enforces the one-way layering of docs/architecture.md:
// app → ui → state → {viewer, annotations, export, io} → {format →} dicom. app/ (the explicit start)
// may use every layer and none may use it. format/ (user-facing wording) sits just above dicom and
// annotations/model. imaging (shutters, subtraction, registration, views, dose) sits beside dicom and may
// import only dicom. The pure layers (dicom, imaging, format, annotations/model, annotations/schema, export
// serializers) may not import React, Cornerstone or anything that needs a DOM.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import prettierConfig from 'eslint-config-prettier';

const pureLayers = ['src/dicom', 'src/imaging', 'src/format', 'src/annotations/model', 'src/annotations/schema', 'src/export'];
const impureModules = [
  { name: 'react', message: 'Pure layers must not import React.' },
  { name: 'react-dom', message: 'Pure layers must not import React.' },
];
const impurePatterns = [
  { group: ['@cornerstonejs/*'], message: 'Pure layers must not import Cornerstone.' },
  { group: ['react/*', 'react-dom/*'], message: 'Pure layers must not import React.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'sample-dicom/**', '.bench/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettierConfig,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            // dicom is the bottom layer.
            {
              target: './src/dicom',
              from: [
                './src/imaging',
                './src/io',
                './src/viewer',
                './src/annotations',
                './src/export',
                './src/state',
                './src/ui',
                './src/format',
              ],
            },
            // imaging is dicom's sibling: pure pixel and geometry work on what dicom reads, nothing above it.
            {
              target: './src/imaging',
              from: ['./src/io', './src/viewer', './src/annotations', './src/export', './src/state', './src/ui', './src/format'],
            },
            // format (wording) reads dicom types and the annotation model, nothing above them.
            {
              target: './src/format',
              from: [
                './src/io',
                './src/viewer',
                './src/annotations/tools',
                './src/annotations/schema',
                './src/export',
                './src/state',
                './src/ui',
              ],
            },
            // model and schema know nothing of tools, viewer, io, state or ui.
            {
              target: ['./src/annotations/model', './src/annotations/schema'],
              from: ['./src/annotations/tools', './src/viewer', './src/io', './src/export', './src/state', './src/ui', './src/format'],
            },
            { target: './src/export', from: ['./src/viewer', './src/annotations/tools', './src/state', './src/ui', './src/io'] },
            { target: ['./src/io', './src/viewer', './src/annotations'], from: ['./src/state', './src/ui'] },
            { target: './src/state', from: ['./src/ui'] },
            // app/ is the composition root: it starts everything, nothing imports it.
            {
              target: [
                './src/dicom',
                './src/imaging',
                './src/format',
                './src/io',
                './src/viewer',
                './src/annotations',
                './src/export',
                './src/state',
                './src/ui',
              ],
              from: './src/app',
            },
          ],
        },
      ],
    },
  },
  {
    files: pureLayers.map((dir) => `${dir}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', { paths: impureModules, patterns: impurePatterns }],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'HTMLElement',
        'requestAnimationFrame',
        'indexedDB',
        'localStorage',
      ],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', '*.config.{js,ts}', 'tests/**/*.ts'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
);
