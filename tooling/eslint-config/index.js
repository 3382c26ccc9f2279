// Shared lint rules. `qkvEslint(pkg, dir)` adds the import boundaries for package `pkg`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Which @qkv packages each package may import (DESIGN.md, "Who may import whom"). */
export const allowedImports = {
  'tensor-core': [],
  tokenizer: [],
  viz: [],
  'wasm-kernels': ['tensor-core'],
  'gpu-kernels': ['tensor-core'],
  nn: ['tensor-core'],
  attention: ['tensor-core', 'nn'],
  transformer: ['tensor-core', 'nn', 'attention'],
  onnx: ['tensor-core', 'nn', 'attention', 'transformer'],
  datasets: ['tokenizer'],
  pretrained: ['tensor-core', 'nn', 'attention', 'transformer', 'tokenizer'],
};

const allPackages = Object.keys(allowedImports);

/** Restricted-import patterns for one package: every @qkv package it may not use, plus backends. */
function boundaryRule(pkg) {
  const allowed = allowedImports[pkg];
  if (allowed === undefined) return []; // apps and tooling may import any package
  const forbidden = allPackages.filter((p) => p !== pkg && !allowed.includes(p));
  const patterns = [
    {
      group: forbidden.flatMap((p) => [`@qkv/${p}`, `@qkv/${p}/*`]),
      message: `@qkv/${pkg} may not import this package (DESIGN.md dependency arrows).`,
    },
    { group: ['@qkv/demo', '@qkv/benchmark', '@qkv/cli', '@qkv/demo/*'], message: 'No package imports an app.' },
  ];
  if (pkg === 'tensor-core') {
    patterns.push({ group: ['gpu.js', 'gpu.js/*'], message: 'tensor-core imports no backend and no gpu.js.' });
  }
  return [{ files: ['src/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns }] } }];
}

/**
 * The flat config for one package.
 * @param {string} pkg package folder name, e.g. 'tensor-core' (apps pass their own name)
 * @param {string} tsconfigRootDir the package directory (import.meta.dirname)
 */
export function qkvEslint(pkg, tsconfigRootDir) {
  return tseslint.config(
    { ignores: ['dist/**', 'coverage/**', 'build/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'artifacts/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        globals: { ...globals.node, ...globals.browser },
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/restrict-template-expressions': 'off',
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
        '@typescript-eslint/unbound-method': 'off',
        '@typescript-eslint/require-await': 'off',
        '@typescript-eslint/no-redundant-type-constituents': 'off',
        'no-constant-condition': ['error', { checkLoops: false }],
      },
    },
    ...boundaryRule(pkg),
  );
}
