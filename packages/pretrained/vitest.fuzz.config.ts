// The large fuzz run (`pnpm fuzz`), kept out of `pnpm test`: only test/fuzz/*.fuzz.ts, no time limit per file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@qkv/source'] },
  ssr: { resolve: { conditions: ['@qkv/source'] } },
  test: { include: ['test/fuzz/*.fuzz.ts'], environment: 'node', testTimeout: 3_600_000, pool: 'forks' },
});
