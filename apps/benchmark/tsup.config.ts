import { qkvTsup } from '@qkv/tsup-config';

export default qkvTsup({
  entry: { bench: 'src/bench.ts', 'browser-run': 'src/browser/run.ts' },
  platform: 'node',
  dts: false,
  // tfjs-core ships its gradients only as extensionless ESM (dist/register_all_gradients.js), which
  // Node cannot load: bundle them; they register into tfjs-core's global registries.
  noExternal: [/@tensorflow\/tfjs-core\/dist\/register_all_gradients/],
});
