import { qkvTsup } from '@qkv/tsup-config';

export default qkvTsup({ entry: { index: 'src/index.ts' } });
