import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('onnx', import.meta.dirname);
