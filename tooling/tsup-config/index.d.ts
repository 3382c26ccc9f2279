/** A package's tsup config in one line, merged over the shared defaults. */
export declare function qkvTsup(options?: Record<string, unknown>): object;
