import { defineConfig } from 'tsup';

// Bundles the benchmark (and the shared corpus helper) into .bench (git-ignored, not published); the tokenizers
// themselves stay external so the run measures the published build in dist/index.js.
export default defineConfig({
  entry: { bench: 'bench/run.ts' },
  outDir: '.bench',
  format: ['esm'],
  platform: 'node',
  target: 'es2022',
  dts: false,
  clean: true,
  external: ['@qkv/tokenizer', 'js-tiktoken', 'gpt-tokenizer'],
});
