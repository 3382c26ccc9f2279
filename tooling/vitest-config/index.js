// Tests run against each workspace package's TypeScript source (the `@qkv/source` export
// condition), so a change in tensor-core is seen by nn's tests without a rebuild.
import { defineConfig, mergeConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig} overrides */
export function qkvVitest(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { conditions: ['@qkv/source'] },
      ssr: { resolve: { conditions: ['@qkv/source'] } },
      test: {
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        environment: 'node',
        testTimeout: 60_000,
        pool: 'forks',
        // artifacts/vitest.json feeds the one-line summary printed by `npm test`
        reporters: ['default', ['json', { outputFile: 'artifacts/vitest.json' }]],
      },
    }),
    overrides,
  );
}
