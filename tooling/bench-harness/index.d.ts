/** The result of timing one system: median, min and max of the timed runs (ms), and their count. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** How long to time: `warmup` untimed calls, then at least `minRuns` runs and `minMs` ms, at most `maxRuns` runs. */
export interface TimeOptions {
  /** Untimed calls first; default 1. */
  warmup?: number;
  /** Default 5. */
  minRuns?: number;
  /** Default 200. */
  maxRuns?: number;
  /** Keep running until this many ms have passed (after minRuns); default 1500 (4000 for turns). */
  minMs?: number;
  /** Called untimed after each timed run (e.g. to sample memory). */
  onRun?: () => void;
}

/** One system timed in turns: `run` is timed, `before` (e.g. emptying a cache) runs untimed before it. */
export interface Turn<R = unknown> {
  run: () => R;
  before?: () => void;
}

/** Median of a list (mean of the two middle values for an even count); NaN for an empty list. */
export declare function median(xs: readonly number[]): number;
/** Median, min and max of run times (ms) and their count. */
export declare function summarize(times: readonly number[]): Timing;
/** Times a synchronous `fn` (see TimeOptions). @example const { medianMs } = timeSync(() => gemm(a, b), { minMs: 1000 }) */
export declare function timeSync(fn: () => unknown, options?: TimeOptions): Timing;
/** Times `fn`, awaiting each run. @example const t = await time(() => session.run(feeds)) */
export declare function time(fn: () => unknown, options?: TimeOptions): Promise<Timing>;
/** Times several systems in turns; returns `times[system][round]`, ms. */
export declare function timeInTurnsSync(turns: readonly Turn[], options?: TimeOptions): number[][];
/** `timeInTurnsSync`, awaiting each run. */
export declare function timeInTurns(turns: readonly Turn[], options?: TimeOptions): Promise<number[][]>;
/** Median over rounds of a[round] / b[round]. */
export declare function medianRatio(a: readonly number[], b: readonly number[]): number;
/** Largest |x| of a list (0 for an empty one). */
export declare function maxAbs(xs: ArrayLike<number>): number;
/** Largest |a − b| relative to max |b|. */
export declare function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number;
/** Max |actual − expected|; throws above `tol` or at a non-finite value that differs. */
export declare function checkClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): number;
/** A markdown table of rows; `alignRight` lists the columns to right-align. */
export declare function markdownTable(rows: readonly Record<string, string>[], options?: { alignRight?: readonly string[] }): string;
/** A number for a table: 0 decimals from 100, 1 from 10, else `digits`. */
export declare function fmt(x: number, digits?: number): string;
