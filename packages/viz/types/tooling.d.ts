// Types for the shared tooling configs, which are plain JavaScript (tooling/*/index.js).
declare module '@qkv/tsup-config' {
  import type { Options } from 'tsup';
  export function qkvTsup(options?: Options): Options;
}
declare module '@qkv/vitest-config' {
  import type { UserConfig } from 'vitest/config';
  export function qkvVitest(overrides?: UserConfig): UserConfig;
}
