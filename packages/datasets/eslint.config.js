import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('datasets', import.meta.dirname);
