import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('wasm-kernels', import.meta.dirname);
