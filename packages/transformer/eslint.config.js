import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('transformer', import.meta.dirname);
