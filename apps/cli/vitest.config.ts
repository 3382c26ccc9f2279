import { qkvVitest } from '@qkv/vitest-config';

export default qkvVitest({ test: { testTimeout: 120_000 } });
