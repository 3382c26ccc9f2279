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

/**
 * `fuzzReader` for an async reader (one that reads through promises, as `fromPretrained` does): each
 * case races a timer of `timeoutMs` and is also timed by the clock, so a case that settles late counts
 * as timed out (retried once; a hang when it times out twice). Unlike `fuzzReader`, a synchronous
 * endless loop inside `read` cannot be interrupted: it would stop the run, which the caller's test
 * timeout then reports.
 * @example await fuzzReaderAsync('fromPretrained', folders, (f) => fromPretrained(f), (e) => e instanceof PretrainedError, { timeoutMs: 2000 })
 */
export function fuzzReaderAsync<T>(
  reader: string,
  inputs: Iterable<T>,
  read: (input: T) => Promise<unknown>,
  isOwnError: (err: unknown) => boolean,
  options: { timeoutMs: number; describe?: (input: T) => string },
): Promise<FuzzCounts>;

/** One line per reader for the README: `safetensors.load: 10000 cases · 123 accepted · …`. */
export function formatCounts(c: FuzzCounts): string;
