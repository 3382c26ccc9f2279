// The shared config packages in /tooling are plain JavaScript without declarations; these
// describe the two functions this package's config files call.
declare module '@qkv/tsup-config' {
  import type { Options } from 'tsup';
  export function qkvTsup(options?: Options): Options;
}
declare module '@qkv/vitest-config' {
  import type { UserConfig } from 'vitest/config';
  export function qkvVitest(overrides?: UserConfig): UserConfig;
}
