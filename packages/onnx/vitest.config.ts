import { qkvVitest } from '@qkv/vitest-config';

export default qkvVitest();
