import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('cli', import.meta.dirname);
