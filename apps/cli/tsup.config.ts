import { qkvTsup } from '@qkv/tsup-config';

export default qkvTsup({ entry: { cli: 'src/cli.ts' }, platform: 'node', dts: false, banner: { js: '#!/usr/bin/env node' } });
