// The fuzz harness of the file readers: runs a reader on many mutated files, each under a time
// limit (node:vm's timeout interrupts even a synchronous endless loop), and counts what happened.
import { Script } from 'node:vm';

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

const runner = new Script('run()');
const isTimeout = (err: unknown) => (err as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';

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
): FuzzCounts {
  const counts: FuzzCounts = { reader, cases: 0, accepted: 0, rejected: 0, crashes: 0, hangs: 0, examples: [] };
  for (const input of inputs) {
    counts.cases++;
    try {
      try {
        runner.runInNewContext({ run: () => read(input) }, { timeout: options.timeoutMs });
      } catch (err) {
        // a timeout once can be the machine's load (the process descheduled); a hang times out twice
        if (!isTimeout(err)) throw err;
        runner.runInNewContext({ run: () => read(input) }, { timeout: options.timeoutMs });
      }
      counts.accepted++;
    } catch (err) {
      if (isTimeout(err)) {
        counts.hangs++;
        if (counts.examples.length < 5) counts.examples.push(`hang on ${options.describe?.(input) ?? String(input).slice(0, 200)}`);
      } else if (isOwnError(err)) {
        counts.rejected++;
      } else {
        counts.crashes++;
        if (counts.examples.length < 5) counts.examples.push(`${(err as Error).name}: ${(err as Error).message?.slice(0, 200)} on ${options.describe?.(input) ?? String(input).slice(0, 200)}`);
      }
    }
  }
  return counts;
}

/** One line per reader for the README: `safetensors.load: 10000 cases, 123 accepted, …`. */
export function formatCounts(c: FuzzCounts): string {
  return `${c.reader}: ${c.cases} cases · ${c.accepted} accepted · ${c.rejected} refused with the package's error · ${c.crashes} crashes · ${c.hangs} hangs`;
}
