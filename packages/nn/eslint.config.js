import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('nn', import.meta.dirname);
