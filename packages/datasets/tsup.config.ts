import { qkvTsup } from '@qkv/tsup-config';

// Keep `node:` on the loaders' lazy imports so browser bundlers see Node built-ins, not npm names.
export default qkvTsup({ entry: { index: 'src/index.ts' }, removeNodeProtocol: false, external: [/^node:/] });
