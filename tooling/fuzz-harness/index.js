// The fuzz harness of the file readers: runs a reader on many mutated files, each under a time
// limit (node:vm's timeout interrupts even a synchronous endless loop), and counts what happened.
// Plain JavaScript with index.d.ts beside it, so the packages' tests use it without a build.
import { Script } from 'node:vm';

const runner = new Script('run()');
const isTimeout = (err) => err?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';

/** See index.d.ts. */
export function fuzzReader(reader, inputs, read, isOwnError, options) {
  const counts = { reader, cases: 0, accepted: 0, rejected: 0, crashes: 0, hangs: 0, examples: [] };
  const describe = (input) => options.describe?.(input) ?? String(input).slice(0, 200);
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
        if (counts.examples.length < 5) counts.examples.push(`hang on ${describe(input)}`);
      } else if (isOwnError(err)) {
        counts.rejected++;
      } else {
        counts.crashes++;
        if (counts.examples.length < 5) counts.examples.push(`${err?.name}: ${err?.message?.slice(0, 200)} on ${describe(input)}`);
      }
    }
  }
  return counts;
}

/** See index.d.ts. */
export function formatCounts(c) {
  return `${c.reader}: ${c.cases} cases · ${c.accepted} accepted · ${c.rejected} refused with the package's error · ${c.crashes} crashes · ${c.hangs} hangs`;
}
