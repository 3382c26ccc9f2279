import { qkvTsup } from '@qkv/tsup-config';

// splitting: the node entry shares one copy of the loader's state (the WeakMaps that remember what
// fromPretrained loaded) with the main entry, so a model loaded through one saves through the other
export default qkvTsup({ entry: { index: 'src/index.ts', node: 'src/node.ts' }, splitting: true });
