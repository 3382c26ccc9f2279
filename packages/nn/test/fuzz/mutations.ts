// Mutations of valid safetensors files for the fuzz tests: byte-level (truncation, bit flips,
// overwrites, absurd header lengths, inserted junk) and header-level (a field replaced by a value of
// the wrong type or an absurd size, prototype keys, duplicate names, deleted or renamed entries),
// including inside the JSON strings a checkpoint keeps in its metadata.
import fc from 'fast-check';

/** A mutated file and how it was made (for reproducing a failure). */
export interface Mutant {
  file: Uint8Array;
  how: string;
}

/** Keys that reach an object's prototype when a reader stores names in a plain object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];

const deepArray = (depth: number): unknown => {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Values of the wrong type, negative, fractional, huge, nested or prototype-named. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 1, 1.5, -0.5, 1e15, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, 1e308, -1e308, '', 'x', 'F32', 'BF16', '__proto__', 'constructor', null, true, false, [], {}, [1e15, 0], [0, 1e15], [-1], [2 ** 53, 2 ** 53], [0, 2 ** 60]),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 50, max: 800 }).map(deepArray),
);

/** A key to add or rename to: a prototype key, the metadata key, the empty string, or random text. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, '__metadata__', '', 'params', 'lr', 'step'), fc.string({ maxLength: 8 }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** A deep copy with null-prototype objects, so `__proto__` is an ordinary key while mutating. */
function clone(v: unknown): Json {
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
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function parentOf(root: Json, path: Path): Json {
  let v = root;
  for (const k of path.slice(0, -1)) v = (v as Record<string | number, Json>)[k]!;
  return v;
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
  const parent = parentOf(root, path) as Record<string | number, Json> & Json[];
  const last = path[path.length - 1]!;
  const nasty = clone(edit.value);
  switch (edit.op) {
    case 'replace': parent[last] = nasty; break;
    case 'delete': if (Array.isArray(parent)) parent.splice(last as number, 1); else delete parent[last]; break;
    case 'rename':
      if (Array.isArray(parent)) parent[last as number] = nasty;
      else { const x = parent[last]; delete parent[last]; parent[edit.key] = x; }
      break;
    case 'add': {
      const target = parent[last];
      if (Array.isArray(target)) target.push(nasty);
      else if (target !== null && typeof target === 'object') target[edit.key] = nasty;
      else parent[last] = nasty;
      break;
    }
    case 'duplicate': return write(root, Array.isArray(parent) ? undefined : path);
    default: edit.op satisfies never;
  }
  return write(root, undefined);
}

/** Splits a safetensors file into its header JSON and data buffer (the seed must be valid). */
export function splitFile(file: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(0, true);
  return { header: JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>, data: file.subarray(8 + n) };
}

/** Builds a file from header text and data, as the format defines it. */
export function joinFile(headerText: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const absurdLength = fc.constantFrom(0, 1, 2, 7, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 53 - 1, 2 ** 64 - 1);

/** Byte-level mutations of `seed`. */
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
      view.setUint32(0, len % 2 ** 32, true);
      view.setUint32(4, Math.floor(len / 2 ** 32) % 2 ** 32, true);
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

/** Header-level mutations of `seed`; with `nested`, also inside JSON-valued metadata strings. */
export function headerMutants(seed: Uint8Array, nested: readonly string[] = []): fc.Arbitrary<Mutant> {
  const { header, data } = splitFile(seed);
  const meta = (header.__metadata__ ?? {}) as Record<string, string>;
  const top = jsonEdit.map((edit) => ({ file: joinFile(editJson(header, edit), data), how: `header edit ${describeEdit(edit)}` }));
  if (nested.length === 0) return top;
  const inner = fc.tuple(fc.constantFrom(...nested), jsonEdit).map(([key, edit]) => {
    const h = clone(header) as Record<string, Record<string, string>>;
    h.__metadata__![key] = editJson(JSON.parse(meta[key]!), edit);
    return { file: joinFile(write(h, undefined), data), how: `metadata ${key} edit ${describeEdit(edit)}` };
  });
  return fc.oneof(top, inner);
}

function describeEdit(e: JsonEdit): string {
  let value: string;
  try {
    value = JSON.stringify(e.value)?.slice(0, 60) ?? 'undefined';
  } catch {
    value = 'a deep value';
  }
  return `${e.op} #${e.pick} key ${JSON.stringify(e.key)} value ${value}`;
}

/** Every kind of mutation of `seed`. */
export function mutants(seed: Uint8Array, nested: readonly string[] = []): fc.Arbitrary<Mutant> {
  return fc.oneof(byteMutants(seed), headerMutants(seed, nested));
}
