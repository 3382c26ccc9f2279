import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('attention', import.meta.dirname);
