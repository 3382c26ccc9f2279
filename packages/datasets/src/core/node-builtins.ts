// The Node built-ins the loaders read files with, fetched at run time by process.getBuiltinModule
// (Node ≥ 20.16) rather than imported, so that browser bundlers of the published build never meet
// an import of `node:path` or `node:fs` (the parsers, splits and batchers run in browsers too).
import type * as FsPromises from 'node:fs/promises';
import type * as NodeModule from 'node:module';
import type * as Path from 'node:path';
import { DatasetError } from './errors.js';

interface Builtins {
  'node:path': typeof Path;
  'node:module': typeof NodeModule;
  'node:fs/promises': typeof FsPromises;
}

/**
 * A Node built-in module for loader `fn`; outside Node, an error saying to parse fetched data instead.
 * @example const { join } = nodeBuiltin('node:path', 'loadMnist')
 */
export function nodeBuiltin<K extends keyof Builtins>(id: K, fn: string): Builtins[K] {
  const get = typeof process === 'undefined' ? undefined : (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof get !== 'function') {
    throw new DatasetError(
      `${fn}: expected Node ≥ 20.19 (the loader reads the data package's files with ${id}), got an environment without process.getBuiltinModule; in a browser, fetch the files and use the pure parse* functions`,
    );
  }
  return get(id) as Builtins[K];
}
