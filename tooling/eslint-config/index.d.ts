import type { Linter } from 'eslint';
/** Which @qkv packages each package may import. */
export declare const allowedImports: Record<string, string[]>;
/** The flat config for one package. */
export declare function qkvEslint(pkg: string, tsconfigRootDir: string): Linter.Config[];
