import { qkvVitest } from '@qkv/vitest-config';

// End-to-end tests build the app and drive Debian Chromium against `vite preview`.
export default qkvVitest({ test: { include: ['test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 300_000 } });
