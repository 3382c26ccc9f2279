import type { PackageResolver } from './package-dir.js';
import type { SplitFractions } from './split.js';

/** Options every real-data loader takes. */
export interface LoadOptions {
  /** Seed of the shuffle that fixes the split. Default 0. */
  seed?: number;
  /** Fractions of train/validation/test. Default 0.8 / 0.1 / 0.1. */
  fractions?: SplitFractions;
  /** Read the data from this folder (a copy of the npm package) instead of resolving the package. */
  packageDir?: string;
  /** How to find `<pkg>/package.json` (for tests and unusual setups). Default Node's `require.resolve`. */
  resolve?: PackageResolver;
}
