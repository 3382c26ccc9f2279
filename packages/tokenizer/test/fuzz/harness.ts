// The tokenizer readers' fuzz harness: runs a reader on many mutated files, each under a time limit
// (node:vm's timeout interrupts even a synchronous endless loop), and counts the outcomes.
import { createContext, Script } from 'node:vm';
import { TokenizerError } from '../../src/index.js';

/** What one reader's fuzz run saw. It passes when `crashes` and `hangs` are 0. */
export interface TokenizerFuzzCounts {
  reader: string;
  cases: number;
  /** Files the reader accepted (and the tokenizer then encoded and decoded the probe text). */
  accepted: number;
  /** Files refused with a TokenizerError. */
  refused: number;
  /** Any other throw: a raw TypeError / SyntaxError / RangeError or another class. */
  crashes: number;
  /** Cases past the per-case time limit. */
  hangs: number;
  /** The first crashes and hangs, to reproduce them. */
  examples: string[];
}

const runner = new Script('run()');
// One context for every case (a new one per case costs more than most cases).
const context = createContext({ run: () => undefined });

/**
 * Runs `read` on each input under `timeoutMs` and sorts the outcomes.
 * @example fuzzTokenizerReader('vocab.txt', mutants, (m) => fromBertVocab(m.text), 2000)
 */
export function fuzzTokenizerReader<T extends { how: string }>(reader: string, inputs: Iterable<T>, read: (input: T) => void, timeoutMs: number): TokenizerFuzzCounts {
  const counts: TokenizerFuzzCounts = { reader, cases: 0, accepted: 0, refused: 0, crashes: 0, hangs: 0, examples: [] };
  for (const input of inputs) {
    counts.cases++;
    try {
      context.run = () => read(input);
      runner.runInContext(context, { timeout: timeoutMs });
      counts.accepted++;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        counts.hangs++;
        if (counts.examples.length < 5) counts.examples.push(`hang: ${input.how}`);
      } else if (error instanceof TokenizerError) {
        counts.refused++;
      } else {
        counts.crashes++;
        const e = error as Error;
        if (counts.examples.length < 5) counts.examples.push(`${e?.name}: ${String(e?.message).slice(0, 200)} — ${input.how}\n${e?.stack?.split('\n').slice(1, 4).join('\n')}`);
      }
    }
  }
  return counts;
}

/** One README line: `vocab.txt: 10000 cases · … · 0 crashes · 0 hangs`. */
export function formatTokenizerCounts(c: TokenizerFuzzCounts): string {
  return `${c.reader}: ${c.cases} cases · ${c.accepted} accepted · ${c.refused} refused with TokenizerError · ${c.crashes} crashes · ${c.hangs} hangs`;
}
