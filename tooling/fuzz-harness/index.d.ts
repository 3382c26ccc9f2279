/** What a fuzz run saw. A reader passes when `crashes` and `hangs` are 0. */
export interface FuzzCounts {
  reader: string;
  cases: number;
  /** Files the reader accepted. */
  accepted: number;
  /** Files the reader refused with the package's own error class. */
  rejected: number;
  /** Any other throw: a raw TypeError / SyntaxError / RangeError, or another class. */
  crashes: number;
  /** Cases that ran past the per-case time limit twice in a row. */
  hangs: number;
  /** The first few crashes and hangs, to reproduce them. */
  examples: string[];
}

/**
 * Runs `read` on each input with a per-case time limit and sorts the outcomes.
 * @example fuzzReader('safetensors.load', inputs, (f) => load(f), (e) => e instanceof SafetensorsError, { timeoutMs: 2000 })
 */
export function fuzzReader<T>(
  reader: string,
  inputs: Iterable<T>,
  read: (input: T) => void,
  isOwnError: (err: unknown) => boolean,
  options: { timeoutMs: number; describe?: (input: T) => string },
): FuzzCounts;

/** One line per reader for the README: `safetensors.load: 10000 cases · 123 accepted · …`. */
export function formatCounts(c: FuzzCounts): string;
