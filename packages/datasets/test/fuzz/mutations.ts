// Mutations of valid dataset files for the fuzz tests: JSON edits (a value replaced by one of the
// wrong type or an absurd size, prototype keys, deleted, renamed or duplicated members) and text
// edits (truncation, odd characters, long runs, repeated lines). The JSON edits follow @qkv/nn's
// test/fuzz/mutations.ts (packages may not import each other's tests).
import fc from 'fast-check';

/** Keys that reach an object's prototype when a reader stores names in a plain object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];

const deepArray = (depth: number): unknown => {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Values of the wrong type, negative, fractional, huge, nested or prototype-named. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 1, 1.5, -0.5, 2, 255, 1e15, 2 ** 53, 1e308, -1e308, '', 'x', 'K AE1 T', 'B1', '__proto__', 'spam-1', null, true, false, [], {}, [0.5], { data: [] }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 50, max: 800 }).map(deepArray),
);

/** A key to add or rename to: a prototype key, the empty string, or random text. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, '', 'data', 'READ(1)', 'read', 'A(999)', 'text'), fc.string({ maxLength: 8 }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

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

/** One structural change to a JSON value; `duplicate` is applied while writing the text. */
export interface JsonEdit {
  op: 'replace' | 'rename' | 'delete' | 'add' | 'duplicate';
  pick: number;
  key: string;
  value: unknown;
}

const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  op: fc.constantFrom('replace', 'rename', 'delete', 'add', 'duplicate'),
  pick: fc.nat(),
  key: nastyKey,
  value: nastyValue,
});

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

/** Applies `edit` to a copy of `value` and returns the JSON text. */
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

/** A mutant: the value a reader gets (parsed JSON, or text) and how it was made. */
export interface Mutant<T> {
  value: T;
  how: string;
}

/** JSON edits of `seed`, parsed back as `JSON.parse` gives them to a reader. */
export function jsonMutants(seed: unknown): fc.Arbitrary<Mutant<unknown>> {
  return jsonEdit.map((edit) => {
    const text = editJson(seed, edit);
    return { value: JSON.parse(text) as unknown, how: `${edit.op} #${edit.pick} key ${JSON.stringify(edit.key)} → ${text.slice(0, 120)}` };
  });
}

const oddChar = fc.constantFrom('\0', '\n', '\r', '\r\n', '\t', ' ', '/', '//', '(', ')', '(1)', '9', '"', '\\', '\u2028', '\uD800', '한', '😀', 'é', '\u0301', 'ca01', 'news');

/** Text edits of `seed`: truncation, odd characters, long runs (up to 200,000 characters), repeated lines, random text. */
export function textMutants(seed: string): fc.Arbitrary<Mutant<string>> {
  const n = seed.length;
  return fc.oneof(
    fc.nat(n).map((len) => ({ value: seed.slice(0, len), how: `truncated to ${len}` })),
    fc.array(fc.tuple(fc.nat(n), oddChar), { minLength: 1, maxLength: 6 }).map((edits) => {
      let text = seed;
      for (const [at, c] of edits) text = text.slice(0, at) + c + text.slice(at + 1);
      return { value: text, how: `characters replaced ${JSON.stringify(edits)}` };
    }),
    fc.tuple(fc.nat(n), oddChar, fc.integer({ min: 1000, max: 200_000 })).map(([at, c, times]) => ({
      value: seed.slice(0, at) + c.repeat(Math.ceil(times / c.length)) + seed.slice(at),
      how: `${JSON.stringify(c)} × ${times} inserted at ${at}`,
    })),
    fc.tuple(fc.nat(), fc.integer({ min: 2, max: 1000 })).map(([pick, times]) => {
      const lines = seed.split('\n');
      const i = pick % lines.length;
      lines.splice(i, 0, ...new Array<string>(times - 1).fill(lines[i]!));
      return { value: lines.join('\n'), how: `line ${i} repeated ${times} times` };
    }),
    fc.tuple(fc.nat(n), fc.string({ unit: 'binary', maxLength: 80 })).map(([at, junk]) => ({ value: seed.slice(0, at) + junk + seed.slice(at), how: `${JSON.stringify(junk)} inserted at ${at}` })),
  );
}
