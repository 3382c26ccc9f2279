// Mutations of valid tokenizer files for the fuzz tests. Text level (every file): truncation, bit
// flips, inserted junk, absurd numbers, deleted or repeated slices. JSON level (vocab.json,
// tokenizer.json, saved tokenizers): a value replaced by one of the wrong type or an absurd size,
// prototype keys added or renamed to, duplicate names and ids, deleted members.
import fc from 'fast-check';

/** A mutated file and a short note of how it was made (for reproducing a failure). */
export interface Mutant {
  text: string;
  how: string;
}

/** Keys that reach an object's prototype when a reader stores names in a plain object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

const deepArray = (depth: number): unknown => {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Values of the wrong type, negative, fractional, huge, long, nested or prototype-named. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 1, 1.5, 1e9, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, '', 'x', '##', '[UNK]', 'BPE', 'WordPiece', 'Sequence', 'Isolated', '__proto__', null, true, false, [], {}, [0], ['a', 'b'], { type: 'Sequence' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: 50, max: 600 }).map(deepArray),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 1000, max: 50_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
);

const nastyKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, '', 'type', 'vocab', 'merges', 'id', 'content', 'special'), fc.string({ maxLength: 6 }));

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
  if (out.length > 20_000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function parentOf(root: Json, path: Path): Json {
  let v = root;
  for (const k of path.slice(0, -1)) v = (v as Record<string | number, Json>)[k]!;
  return v;
}

/** One structural change; `duplicate` writes the chosen member twice (a duplicate name). */
interface JsonEdit {
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

/** JSON text, writing the member at `dup` twice when given. */
function write(v: Json, dup: Path | undefined, at: Path = []): string {
  if (Array.isArray(v)) {
    const items = v.map((x, i) => write(x, dup, [...at, i]));
    if (dup !== undefined && dup.length === at.length + 1 && at.every((k, i) => k === dup[i]) && typeof dup[at.length] === 'number') {
      items.splice(dup[at.length] as number, 0, items[dup[at.length] as number]!);
    }
    return `[${items.join(',')}]`;
  }
  if (v !== null && typeof v === 'object') {
    const members: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const member = `${JSON.stringify(k)}:${write(x, dup, [...at, k])}`;
      members.push(member);
      if (dup !== undefined && dup.length === at.length + 1 && at.every((p, i) => p === dup[i]) && dup[at.length] === k) members.push(member);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Applies edits to a parsed JSON document and writes it back as text. */
function applyJsonEdits(doc: unknown, edits: readonly JsonEdit[]): Mutant {
  let root = clone(doc);
  let dup: Path | undefined;
  const notes: string[] = [];
  for (const edit of edits) {
    const all = paths(root);
    const path = all[edit.pick % all.length]!;
    const where = path.join('.').slice(0, 60);
    const value = clone(edit.value);
    notes.push(`${edit.op} ${where}${edit.op === 'add' || edit.op === 'rename' ? ` key ${JSON.stringify(edit.key)}` : ''}${edit.op === 'replace' || edit.op === 'add' ? ` = ${JSON.stringify(edit.value)?.slice(0, 40)}` : ''}`);
    if (path.length === 0) {
      if (edit.op === 'replace') root = value;
      continue;
    }
    const parent = parentOf(root, path) as Record<string | number, Json> | Json[];
    const last = path[path.length - 1]!;
    switch (edit.op) {
      case 'replace':
        (parent as Record<string | number, Json>)[last] = value;
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
        break;
      case 'add':
        if (Array.isArray(parent)) parent.push(value);
        else parent[edit.key] = value;
        break;
      case 'rename':
        if (!Array.isArray(parent)) {
          const v = parent[last]!;
          delete parent[last];
          parent[edit.key] = v;
        }
        break;
      case 'duplicate':
        dup = path;
        break;
    }
  }
  return { text: write(root, dup), how: notes.join('; ') };
}

/** One text-level change at a relative position. */
interface TextEdit {
  op: 'truncate' | 'flip' | 'insert' | 'number' | 'delete' | 'repeat';
  at: number;
  bit: number;
  length: number;
  junk: string;
}

const JUNK = ['\u0000', '\ufffd', '\ud800', '"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\r\n', ' ', '#version: 0.2', '__proto__', 'e+308', '-', '1e400', '😀', '\u0301', 'Ġ', '##'];
const NUMBERS = ['4294967296', '-1', '1.5', '1e308', '9007199254740993', '0', '1e9', '-0', '00', '1e-7'];

const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  op: fc.constantFrom('truncate', 'flip', 'insert', 'number', 'delete', 'repeat'),
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  bit: fc.integer({ min: 0, max: 15 }),
  length: fc.integer({ min: 1, max: 400 }),
  junk: fc.oneof(fc.constantFrom(...JUNK, ...NUMBERS), fc.string({ maxLength: 6, unit: 'binary' })),
});

function applyTextEdits(text: string, edits: readonly TextEdit[]): Mutant {
  let s = text;
  const notes: string[] = [];
  for (const e of edits) {
    const i = Math.floor(e.at * s.length);
    notes.push(`${e.op}@${i}${e.op === 'insert' ? ` ${JSON.stringify(e.junk)}` : ''}`);
    switch (e.op) {
      case 'truncate':
        s = s.slice(0, i);
        break;
      case 'flip':
        if (s.length > 0) s = s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << e.bit)) + s.slice(i + 1);
        break;
      case 'insert':
        s = s.slice(0, i) + e.junk + s.slice(i);
        break;
      case 'number': {
        const m = /\d+/.exec(s.slice(i));
        if (m) s = s.slice(0, i + m.index) + NUMBERS[e.bit % NUMBERS.length]! + s.slice(i + m.index + m[0].length);
        break;
      }
      case 'delete':
        s = s.slice(0, i) + s.slice(i + e.length);
        break;
      case 'repeat':
        s = s.slice(0, i) + s.slice(i, i + e.length).repeat(1 + (e.bit % 8) * 40) + s.slice(i);
        break;
    }
  }
  return { text: s, how: notes.join('; ') };
}

/**
 * `runs` mutants of `valid` (text edits, and JSON edits when `json`), reproducible from `seed`.
 * @example mutants(vocabTxt, false, 100, 1)
 */
export function mutants(valid: string, json: boolean, runs: number, seed: number): Mutant[] {
  const text = fc.array(textEdit, { minLength: 1, maxLength: 3 }).map((edits) => applyTextEdits(valid, edits));
  const doc = json ? (JSON.parse(valid) as unknown) : undefined;
  const structural = fc.array(jsonEdit, { minLength: 1, maxLength: 3 }).map((edits) => applyJsonEdits(doc, edits));
  const arbitrary = json ? fc.oneof({ arbitrary: structural, weight: 3 }, { arbitrary: text, weight: 2 }) : text;
  return fc.sample(arbitrary, { numRuns: runs, seed });
}
