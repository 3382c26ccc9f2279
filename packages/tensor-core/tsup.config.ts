import { qkvTsup } from '@qkv/tsup-config';

export default qkvTsup({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  external: ['vitest'],
});
