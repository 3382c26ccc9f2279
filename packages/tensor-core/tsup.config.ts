import { qkvTsup } from '@qkv/tsup-config';

// Code splitting keeps one copy of the engine and the Tensor class shared by both entries.
export default qkvTsup({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  splitting: true,
});
