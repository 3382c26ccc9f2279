/** The shared Vitest config, merged with `overrides` (a Vitest UserConfig). */
export declare function qkvVitest(overrides?: Record<string, unknown>): object;
