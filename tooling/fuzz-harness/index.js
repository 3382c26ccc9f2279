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
export async function fuzzReaderAsync(reader, inputs, read, isOwnError, options) {
  const counts = { reader, cases: 0, accepted: 0, rejected: 0, crashes: 0, hangs: 0, examples: [] };
  const describe = (input) => options.describe?.(input) ?? String(input).slice(0, 200);
  const TIMEOUT = Symbol('timeout');
  // One try: the read races a timer, and a read that settles after the limit counts as timed out too
  // (a synchronous stretch inside the read delays the timer, so the clock decides, not the race alone).
  const once = async (input) => {
    const start = performance.now();
    let timer;
    const limit = new Promise((resolve) => { timer = setTimeout(() => resolve(TIMEOUT), options.timeoutMs); });
    try {
      const outcome = await Promise.race([Promise.resolve().then(() => read(input)).then(() => ({ ok: true }), (err) => ({ ok: false, err })), limit]);
      if (outcome === TIMEOUT || performance.now() - start > options.timeoutMs) return TIMEOUT;
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  };
  for (const input of inputs) {
    counts.cases++;
    let outcome = await once(input);
    if (outcome === TIMEOUT) outcome = await once(input); // a timeout once can be the machine's load
    if (outcome === TIMEOUT) {
      counts.hangs++;
      if (counts.examples.length < 5) counts.examples.push(`hang on ${describe(input)}`);
    } else if (outcome.ok) {
      counts.accepted++;
    } else if (isOwnError(outcome.err)) {
      counts.rejected++;
    } else {
      counts.crashes++;
      const err = outcome.err;
      if (counts.examples.length < 5) counts.examples.push(`${err?.name}: ${err?.message?.slice(0, 200)} on ${describe(input)}`);
    }
  }
  return counts;
}

/** See index.d.ts. */
export function formatCounts(c) {
  return `${c.reader}: ${c.cases} cases · ${c.accepted} accepted · ${c.rejected} refused with the package's error · ${c.crashes} crashes · ${c.hangs} hangs`;
}
