// Shared build: ESM only, type declarations, sourcemaps, no bundling of dependencies.
import { defineConfig } from 'tsup';

/**
 * A package's tsup config in one line: `export default qkvTsup({ entry: { index: 'src/index.ts' } })`.
 * @param {import('tsup').Options} options overrides merged over the shared defaults
 */
export function qkvTsup(options = {}) {
  return defineConfig({
    format: ['esm'],
    target: 'es2022',
    platform: 'neutral',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...options,
  });
}
