import { qkvTsup } from '@qkv/tsup-config';

// splitting: the node entry shares one copy of Module, Linear and LoRALinear with the main entry
// (so `instanceof` holds across `@qkv/nn` and `@qkv/nn/node`) instead of bundling its own.
export default qkvTsup({ entry: { index: 'src/index.ts', node: 'src/io/node.ts' }, splitting: true });
