import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('benchmark', import.meta.dirname);
