// Where a Hub folder's files come from: an interface with three makers here (browser File objects,
// a base URL) and a Node directory in node.ts. Readers ask for byte ranges, so a large
// model.safetensors never has to be held twice.
import { PretrainedError } from './config.js';

/** Progress of one file: bytes read so far and its size. */
export interface Progress {
  file: string;
  loaded: number;
  total: number;
}

/** A Hub-layout folder to read from. Files are named as in the folder (`config.json`, `model.safetensors`). */
export interface PretrainedSource {
  /** What the folder is, for messages (a directory, a URL, "3 files"). */
  readonly description: string;
  /** Whether the folder holds `file`. */
  has(file: string): Promise<boolean>;
  /** The file's size in bytes. */
  size(file: string): Promise<number>;
  /** Bytes [begin, end) of `file` (the whole file without a range). */
  read(file: string, begin?: number, end?: number): Promise<Uint8Array>;
}

/** A folder to write to (a Node directory in node.ts, or anything that keeps the bytes). */
export interface PretrainedSink {
  readonly description: string;
  write(file: string, bytes: Uint8Array): Promise<void>;
}

/** A file name of a Hub folder: no directories, no `..`, printable (checked before any file is opened). */
export function checkFileName(file: string, where: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/.test(file) || file.includes('..')) {
    throw new PretrainedError(`${where}: '${file.slice(0, 60)}' is not a plain file name of a Hub folder`);
  }
  return file;
}

function checkRange(where: string, file: string, size: number, begin: number, end: number): void {
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin || end > size) {
    throw new PretrainedError(`${where}: byte range [${begin}, ${end}) lies outside ${file} (${size} bytes)`);
  }
}

/** The minimal shape of a browser `File` (name, size, slice → Blob with arrayBuffer). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  slice(begin?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * A folder from browser `File`s (an `<input type="file" webkitdirectory>`'s FileList, or dropped
 * files): each file is known by its base name. Reads slice the file, so nothing is read twice.
 * @example const { model } = await fromPretrained(filesSource(input.files))
 */
export function filesSource(files: ArrayLike<FileLike> | Iterable<FileLike>): PretrainedSource {
  const byName = new Map<string, FileLike>();
  for (const f of Array.from(files as ArrayLike<FileLike>)) {
    const base = f.name.slice(f.name.lastIndexOf('/') + 1);
    if (byName.has(base)) throw new PretrainedError(`filesSource: two files are named '${base}'`);
    byName.set(base, f);
  }
  const get = (file: string): FileLike => {
    const f = byName.get(file);
    if (!f) throw new PretrainedError(`fromPretrained: the files given have no ${file} (got ${[...byName.keys()].join(', ') || 'none'})`);
    return f;
  };
  return {
    description: `${byName.size} files`,
    has: (file) => Promise.resolve(byName.has(file)),
    size: (file) => Promise.resolve(get(file).size),
    async read(file, begin = 0, end) {
      const f = get(file);
      const stop = end ?? f.size;
      checkRange('fromPretrained', file, f.size, begin, stop);
      return new Uint8Array(await f.slice(begin, stop).arrayBuffer());
    },
  };
}

/** Options of `urlSource`. */
export interface UrlSourceOptions {
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: (url: string) => Promise<Response>;
  /** Called as each file's bytes arrive. */
  onProgress?: (progress: Progress) => void;
}

/**
 * A folder served over HTTP: `base` + file name (e.g. a local server, or a Hub `resolve/main/` URL).
 * Each file is fetched once, streamed with progress, and kept until the load ends.
 * @example const { model } = await fromPretrained(urlSource('/models/gpt2/', { onProgress: console.log }))
 */
export function urlSource(base: string, options: UrlSourceOptions = {}): PretrainedSource {
  const fetchFn = options.fetch ?? ((url: string) => globalThis.fetch(url));
  const root = base.endsWith('/') ? base : `${base}/`;
  const cache = new Map<string, Promise<Uint8Array | null>>();
  const get = (file: string): Promise<Uint8Array | null> => {
    let p = cache.get(file);
    if (!p) {
      p = download(root + file, file, fetchFn, options.onProgress);
      cache.set(file, p);
    }
    return p;
  };
  const need = async (file: string): Promise<Uint8Array> => {
    const bytes = await get(file);
    if (!bytes) throw new PretrainedError(`fromPretrained: ${root}${file} was not found`);
    return bytes;
  };
  return {
    description: root,
    has: async (file) => (await get(file)) !== null,
    size: async (file) => (await need(file)).length,
    async read(file, begin = 0, end) {
      const bytes = await need(file);
      const stop = end ?? bytes.length;
      checkRange('fromPretrained', file, bytes.length, begin, stop);
      return bytes.subarray(begin, stop);
    },
  };
}

async function download(url: string, file: string, fetchFn: (url: string) => Promise<Response>, onProgress?: (p: Progress) => void): Promise<Uint8Array | null> {
  const response = await fetchFn(url);
  if (response.status === 404) return null;
  if (!response.ok) throw new PretrainedError(`fromPretrained: fetching ${url} failed with HTTP ${response.status}`);
  const header = Number(response.headers.get('content-length'));
  const total = Number.isSafeInteger(header) && header > 0 ? header : 0;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.({ file, loaded: bytes.length, total: bytes.length });
    return bytes;
  }
  const reader = response.body.getReader();
  let out = new Uint8Array(total);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > out.length) { // no (or a wrong) Content-Length: grow
      const grown = new Uint8Array(Math.max(out.length * 2, loaded + value.length));
      grown.set(out.subarray(0, loaded));
      out = grown;
    }
    out.set(value, loaded);
    loaded += value.length;
    onProgress?.({ file, loaded, total: Math.max(total, loaded) });
  }
  return loaded === out.length ? out : out.subarray(0, loaded);
}
