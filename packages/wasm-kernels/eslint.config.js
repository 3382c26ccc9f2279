import { qkvEslint } from '@qkv/eslint-config';

// assembly/ is AssemblyScript (its own types: f32, v128, usize), checked by `asc`, not by tsc/eslint.
export default [{ ignores: ['assembly/**', 'bench/assembly/**', 'src/generated/**'] }, ...qkvEslint('wasm-kernels', import.meta.dirname)];
