import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('tensor-core', import.meta.dirname);
