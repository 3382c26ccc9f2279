import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('pretrained', import.meta.dirname);
