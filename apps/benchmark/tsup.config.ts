import { qkvTsup } from '@qkv/tsup-config';

export default qkvTsup({ entry: { bench: 'src/bench.ts' }, platform: 'node', dts: false });
