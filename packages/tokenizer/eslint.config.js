import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('tokenizer', import.meta.dirname);
