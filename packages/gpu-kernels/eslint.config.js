import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('gpu-kernels', import.meta.dirname);
