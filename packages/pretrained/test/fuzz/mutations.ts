// Mutations of the files of a Hub folder for the fuzz tests: JSON edits (a value replaced by one of
// the wrong type or an absurd size, NaN/±1e999 written as number text, prototype keys, deleted,
// renamed or duplicated members, file names with `../`), byte edits of safetensors files
// (truncation, bit flips, overwrites, absurd header lengths, inserted junk) and text edits of the
// tokenizer files. The JSON and byte edits follow @qkv/nn's and @qkv/datasets' test/fuzz/mutations.ts
// (packages may not import each other's tests).
import fc from 'fast-check';

/** Keys that reach an object's prototype when a reader stores names in a plain object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];

/** A number that JSON cannot hold, written as text (`NaN` makes the file invalid JSON; `1e999` parses to Infinity). */
class NumberText {
  constructor(readonly text: string) {}
}

const deepArray = (depth: number): unknown => {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** File names a shard index or a config may point at: missing, outside the folder, odd. */
export const FILE_NAMES = ['../model.safetensors', '../../etc/passwd', '/etc/passwd', 'missing.safetensors', 'config.json', 'model.safetensors', 'model-00001-of-00002.safetensors', '..', '.', '', 'a/b.safetensors', 'C:\\x', '__proto__', 'constructor'];

/** Values of the wrong type, negative, fractional, huge, non-finite, nested, prototype-named or a bad path. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 1, 1.5, -0.5, -0, 2, 3, 4, 255, 1e15, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, -1e308, 65_536, 4_000_000, 16_384, '', 'x', 'F16', 'BF16', 'gpt2', 'bert', 'vit', 'gelu', '__proto__', 'constructor', null, true, false, [], {}, [1e15, 0], [-1], [2 ** 53, 2 ** 53], { height: 1e9, width: 1 }, { height: 0, width: 0 }, { 0: '__proto__', 1: 'constructor' }, { __proto__: 'x' }),
  fc.constantFrom<unknown>(new NumberText('NaN'), new NumberText('1e999'), new NumberText('-1e999'), new NumberText('-0'), new NumberText('1e-400')),
  fc.constantFrom<unknown>(...FILE_NAMES),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 50, max: 800 }).map(deepArray),
);

/** A key to add or rename to: a prototype key, a field name of a Hub file, the empty string, or random text. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, '', 'model_type', 'architectures', 'id2label', 'weight_map', 'size', 'image_mean', '0', '1', '-1', '01', '1e3', 'wte.weight', '__metadata__'),
  fc.string({ maxLength: 8 }),
);

type Json = null | boolean | number | string | NumberText | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** A deep copy with null-prototype objects, so `__proto__` is an ordinary key while mutating. */
function clone(v: unknown): Json {
  if (v instanceof NumberText) return v;
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object') {
    const o = Object.create(null) as Record<string, Json>;
    for (const [k, x] of Object.entries(v)) o[k] = clone(x);
    return o;
  }
  return v as Json;
}

function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (v instanceof NumberText) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

/** One structural change to a JSON value; `duplicate` is applied while writing the text. */
export interface JsonEdit {
  op: 'replace' | 'rename' | 'delete' | 'add' | 'duplicate';
  pick: number;
  key: string;
  value: unknown;
}

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  op: fc.constantFrom('replace', 'rename', 'delete', 'add', 'duplicate'),
  pick: fc.nat(),
  key: nastyKey,
  value: nastyValue,
});

/** Writes JSON, emitting the member at `dup` twice (a duplicate name) when given. */
function write(v: Json, dup: Path | undefined, at: Path = []): string {
  if (v instanceof NumberText) return v.text;
  if (Array.isArray(v)) return `[${v.map((x, i) => write(x, dup, [...at, i])).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const members: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const member = `${JSON.stringify(k)}:${write(x, dup, [...at, k])}`;
      members.push(member);
      if (dup && dup.length === at.length + 1 && dup[at.length] === k && at.every((p, i) => p === dup[i])) members.push(member);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Applies `edit` to a copy of `value` and returns the JSON text.
 * @example editJson({ a: 1 }, { op: 'rename', pick: 1, key: '__proto__', value: 0 }) // '{"__proto__":1}'
 */
export function editJson(value: unknown, edit: JsonEdit): string {
  const root = clone(value);
  const all = paths(root);
  const path = all[edit.pick % all.length]!;
  if (path.length === 0) return edit.op === 'replace' ? write(clone(edit.value), undefined) : write(root, undefined);
  let parent = root as Record<string | number, Json> & Json[];
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json> & Json[];
  const last = path[path.length - 1]!;
  const nasty = clone(edit.value);
  switch (edit.op) {
    case 'replace': parent[last] = nasty; break;
    case 'delete': if (Array.isArray(parent)) parent.splice(last as number, 1); else delete parent[last]; break;
    case 'rename':
      if (Array.isArray(parent)) parent[last as number] = nasty;
      else { const x = parent[last]; delete parent[last]; parent[edit.key] = x!; }
      break;
    case 'add': {
      const target = parent[last];
      if (Array.isArray(target)) target.push(nasty);
      else if (target !== null && typeof target === 'object' && !(target instanceof NumberText)) target[edit.key] = nasty;
      else parent[last] = nasty;
      break;
    }
    case 'duplicate': return write(root, Array.isArray(parent) ? undefined : path);
    default: edit.op satisfies never;
  }
  return write(root, undefined);
}

export function describeEdit(e: JsonEdit): string {
  let value: string;
  try {
    value = e.value instanceof NumberText ? e.value.text : (JSON.stringify(e.value)?.slice(0, 60) ?? 'undefined');
  } catch {
    value = 'a deep value';
  }
  return `${e.op} #${e.pick} key ${JSON.stringify(e.key)} value ${value}`;
}

/** A mutated file and how it was made (for reproducing a failure). */
export interface Mutant {
  file: Uint8Array;
  how: string;
}

const utf8 = new TextEncoder();

/** JSON edits of a JSON file's `text`, plus byte-level damage to it. */
export function jsonFileMutants(text: string): fc.Arbitrary<Mutant> {
  const value = JSON.parse(text) as unknown;
  const bytes = utf8.encode(text);
  return fc.oneof(
    { arbitrary: jsonEdit.map((edit) => ({ file: utf8.encode(editJson(value, edit)), how: `edit ${describeEdit(edit)}` })), weight: 8 },
    { arbitrary: byteMutants(bytes), weight: 2 },
  );
}

/** Splits a safetensors file into its header JSON and data buffer (the seed must be valid). */
export function splitFile(file: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(0, true);
  return { header: JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>, data: file.subarray(8 + n) };
}

/** Builds a file from header text and data, as the format defines it. */
export function joinFile(headerText: string, data: Uint8Array): Uint8Array {
  const json = utf8.encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const absurdLength = fc.constantFrom(0, 1, 2, 7, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 53 - 1, 2 ** 64 - 1);

/** Byte-level mutations of `seed`; the absurd-length one writes the first 8 bytes (a safetensors header length). */
export function byteMutants(seed: Uint8Array): fc.Arbitrary<Mutant> {
  const n = seed.length;
  return fc.oneof(
    fc.nat(n - 1).map((len) => ({ file: seed.slice(0, len), how: `truncated to ${len} bytes` })),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(7)), { minLength: 1, maxLength: 8 }).map((flips) => {
      const file = seed.slice();
      for (const [i, bit] of flips) file[i]! ^= 1 << bit;
      return { file, how: `bit flips ${JSON.stringify(flips)}` };
    }),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }).map((writes) => {
      const file = seed.slice();
      for (const [i, b] of writes) file[i] = b;
      return { file, how: `bytes overwritten ${JSON.stringify(writes)}` };
    }),
    absurdLength.map((len) => {
      const file = seed.slice();
      const view = new DataView(file.buffer);
      if (file.length >= 8) {
        view.setUint32(0, len % 2 ** 32, true);
        view.setUint32(4, Math.floor(len / 2 ** 32) % 2 ** 32, true);
      }
      return { file, how: `header length ${len}` };
    }),
    fc.tuple(fc.nat(n), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, junk]) => {
      const file = new Uint8Array(n + junk.length);
      file.set(seed.subarray(0, at));
      file.set(junk, at);
      file.set(seed.subarray(at), at + junk.length);
      return { file, how: `${junk.length} bytes inserted at ${at}` };
    }),
  );
}

/** Every kind of mutation of a safetensors file: bytes, and JSON edits of its header. */
export function safetensorsMutants(seed: Uint8Array): fc.Arbitrary<Mutant> {
  const { header, data } = splitFile(seed);
  const edits = jsonEdit.map((edit) => ({ file: joinFile(editJson(header, edit), data), how: `header edit ${describeEdit(edit)}` }));
  return fc.oneof(byteMutants(seed), edits);
}

const oddChar = fc.constantFrom('\0', '\n', '\r', '\r\n', '\t', ' ', '"', '\\', '\u2028', '\uD800', '한', '😀', 'é', '\u0301', '[UNK]', '#', '#version: 0.2', 'Ġ', '__proto__');

/** Text edits of a tokenizer file: truncation, odd characters, long runs (up to 100,000 characters), repeated lines. */
export function textMutants(seed: string): fc.Arbitrary<Mutant> {
  const n = seed.length;
  const m = (text: string, how: string): Mutant => ({ file: utf8.encode(text), how });
  return fc.oneof(
    fc.nat(n).map((len) => m(seed.slice(0, len), `truncated to ${len}`)),
    fc.array(fc.tuple(fc.nat(n), oddChar), { minLength: 1, maxLength: 6 }).map((edits) => {
      let text = seed;
      for (const [at, c] of edits) text = text.slice(0, at) + c + text.slice(at + 1);
      return m(text, `characters replaced ${JSON.stringify(edits)}`);
    }),
    fc.tuple(fc.nat(n), oddChar, fc.integer({ min: 1000, max: 100_000 })).map(([at, c, times]) => m(seed.slice(0, at) + c.repeat(Math.ceil(times / c.length)) + seed.slice(at), `${JSON.stringify(c)} × ${times} inserted at ${at}`)),
    fc.tuple(fc.nat(), fc.integer({ min: 2, max: 1000 })).map(([pick, times]) => {
      const lines = seed.split('\n');
      const i = pick % lines.length;
      lines.splice(i, 0, ...new Array<string>(times - 1).fill(lines[i]!));
      return m(lines.join('\n'), `line ${i} repeated ${times} times`);
    }),
  );
}
