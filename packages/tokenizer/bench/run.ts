// GPT-2 encoding throughput: @qkv/tokenizer (built dist) vs js-tiktoken vs gpt-tokenizer on the
// same ≥ 1 MB mixed corpus, in one process. Median of RUNS timed runs after one warm-up each.
import { markdownTable, median, timeInTurnsSync } from '@qkv/bench-harness';
import { BPETokenizer } from '@qkv/tokenizer';
import { clearMergeCache, encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { Tiktoken } from 'js-tiktoken/lite';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { mixedCorpus } from '../test/helpers/corpus.js';
import { gpt2Files } from '../test/helpers/gpt2-files.js';

const RUNS = 7;

interface Row {
  name: string;
  encode: (text: string) => number[];
  /** Empties the row's caches (for the cold table); construction is not timed. */
  reset: () => void;
}

const corpus = mixedCorpus();
const bytes = Buffer.byteLength(corpus, 'utf8');
const files = gpt2Files();
let qkv = BPETokenizer.fromFiles(files.vocabJson, files.mergesTxt);
const tiktoken = new Tiktoken(r50k);
const rows: Row[] = [
  { name: '@qkv/tokenizer', encode: (t) => qkv.encode(t), reset: () => (qkv = BPETokenizer.fromFiles(files.vocabJson, files.mergesTxt)) },
  { name: 'js-tiktoken 1.0.21', encode: (t) => tiktoken.encode(t), reset: () => undefined }, // it has no cache
  { name: 'gpt-tokenizer 4.0.0', encode: (t) => gptTokenizerEncode(t), reset: () => clearMergeCache() },
];

const tokens = new Map<string, number>(rows.map((row) => [row.name, row.encode(corpus).length])); // warm-up

/** Median seconds per row over RUNS runs taken in turns; `cold` empties caches (untimed) before each run. */
function measure(cold: boolean): Map<string, number> {
  const turns = rows.map((row) => ({ run: () => row.encode(corpus), before: cold ? row.reset : undefined }));
  const times = timeInTurnsSync(turns, { warmup: 0, minRuns: RUNS, maxRuns: RUNS, minMs: 0 });
  return new Map(rows.map((row, i) => [row.name, median(times[i]!) / 1000]));
}

function table(title: string, seconds: Map<string, number>): void {
  const results = rows.map((row) => {
    const s = seconds.get(row.name)!;
    return { name: row.name, s, mbps: bytes / 1e6 / s, tps: tokens.get(row.name)! / s };
  });
  const fastestPeer = Math.max(...results.slice(1).map((r) => r.mbps));
  const cells = results.map((r) => ({ tokenizer: r.name, ms: (r.s * 1000).toFixed(1), 'MB/s': r.mbps.toFixed(2), 'tokens/s': Math.round(r.tps).toLocaleString('en-US'), '× fastest peer': (r.mbps / fastestPeer).toFixed(2) }));
  console.log(`\n${title}`);
  console.log(markdownTable(cells, { alignRight: ['ms', 'MB/s', 'tokens/s', '× fastest peer'] }));
}

console.log(`GPT-2 (r50k_base) encode of a ${(bytes / 1e6).toFixed(2)} MB mixed corpus (${tokens.get(rows[0]!.name)} tokens), median of ${RUNS} runs, Node ${process.version}`);
table('Warm caches (after one warm-up pass):', measure(false));
table('Cold caches (caches emptied before every run):', measure(true));
