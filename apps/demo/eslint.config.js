import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('demo', import.meta.dirname);
