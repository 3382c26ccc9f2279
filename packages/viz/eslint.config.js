import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('viz', import.meta.dirname);
