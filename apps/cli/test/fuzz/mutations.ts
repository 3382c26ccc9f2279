// Mutations for the CLI's fuzz tests: random command lines (commands, recipes, known and unknown
// flags, duplicates, values such as NaN, 1e999, -0, '' and prototype names), JSON edits of a
// manifest (values of the wrong type or size, prototype keys, deleted, renamed, duplicated
// members) and byte/text edits of image files. The JSON edits follow the packages'
// test/fuzz/mutations.ts (an app may not import a package's tests).
import fc from 'fast-check';

/** Keys that reach an object's prototype when a reader stores names in a plain object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];

/** Values a flag can be given: odd numbers, empty, signs, prototype names, long text. */
export const flagValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '1', '2', '-1', '-0', '+1', '1.5', '1e3', '1e999', '-1e999', 'NaN', 'Infinity', '', ' ', '\t', '0x10', '0b1', '9007199254740993', '1e21', '.5', '5.', 'cpu', 'wasm', 'gpu', 'test', 'validation', 'adapter', 'merged', 'c_attn', ',', '__proto__', 'constructor', 'toString', 'a=b', '=x', 'dModel=16', 'warmup=', '__proto__=1', 'constructor=x', 'toString=1', 'x'.repeat(10_000)),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 12 }),
);

/** An argv for `qkv`: a command, maybe a recipe, flags (known, unknown, `--flag=value`, short), values and positionals. */
export function argvFor(commands: readonly string[], recipes: readonly string[], flags: readonly string[]): fc.Arbitrary<string[]> {
  const token = fc.oneof(
    { arbitrary: fc.constantFrom(...flags).map((f) => `--${f}`), weight: 5 },
    { arbitrary: flagValue, weight: 5 },
    { arbitrary: fc.tuple(fc.constantFrom(...flags), flagValue).map(([f, v]) => `--${f}=${v}`), weight: 2 },
    { arbitrary: fc.constantFrom('--', '-', '-h', '-x', '--no-quiet', '--unknown', '--__proto__', '--constructor', '---', '--=1'), weight: 1 },
    { arbitrary: fc.constantFrom(...recipes, ...commands, 'hello', 'a.pgm'), weight: 1 },
  );
  const loose = fc.tuple(
    fc.option(fc.constantFrom(...commands, ...PROTOTYPE_KEYS, ''), { nil: undefined, freq: 10 }),
    fc.option(fc.constantFrom(...recipes, ...PROTOTYPE_KEYS), { nil: undefined, freq: 3 }),
    fc.array(token, { maxLength: 12 }),
  ).map(([command, recipe, rest]) => [...(command === undefined ? [] : [command]), ...(recipe === undefined ? [] : [recipe]), ...rest]);
  // closer to a real command line: a command, a recipe, then flag–value pairs (so more cases get past the first check)
  const pairs = fc.array(fc.tuple(fc.constantFrom(...flags), fc.oneof({ arbitrary: flagValue, weight: 3 }, { arbitrary: fc.nat(300).map(String), weight: 2 })), { maxLength: 6 }).map((ps) => ps.flatMap(([f, v]) => [`--${f}`, v]));
  const structured = fc.tuple(fc.constantFrom<string | undefined>(...commands, undefined), fc.constantFrom<string | undefined>(...recipes, undefined), pairs, fc.array(fc.constantFrom('hello', 'a.pgm', 'ckpt.safetensors'), { maxLength: 2 }))
    .map(([command, recipe, rest, positionals]) => [...(command === undefined ? [] : [command]), ...(recipe === undefined ? [] : [recipe]), ...positionals, ...rest]);
  return fc.oneof(loose, structured);
}

const deepArray = (depth: number): unknown => {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Values of the wrong type, negative, fractional, huge, nested or prototype-named. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 1, 1.5, -0.5, 2 ** 53, 1e308, -1e308, '', 'x', '1e999', 'NaN', '__proto__', 'constructor', null, true, false, [], {}, { __proto__: '1' }, ['a']),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 50, max: 800 }).map(deepArray),
);

const nastyKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, '', 'recipe', 'run', 'seed', 'settings', 'warmup', 'dModel'), fc.string({ maxLength: 8 }));

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
      else { const x = parent[last]; delete parent[last]; parent[edit.key] = x!; }
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

/** A mutated file and how it was made. */
export interface Mutant {
  file: Uint8Array;
  how: string;
}

const utf8 = new TextEncoder();

/** Byte-level mutations of `seed`: truncation, bit flips, overwrites, inserted junk. */
export function byteMutants(seed: Uint8Array): fc.Arbitrary<Mutant> {
  const n = seed.length;
  return fc.oneof(
    fc.nat(n).map((len) => ({ file: seed.slice(0, len), how: `truncated to ${len} bytes` })),
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
    fc.tuple(fc.nat(n), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, junk]) => {
      const file = new Uint8Array(n + junk.length);
      file.set(seed.subarray(0, at));
      file.set(junk, at);
      file.set(seed.subarray(at), at + junk.length);
      return { file, how: `${junk.length} bytes inserted at ${at}` };
    }),
  );
}

/** JSON edits of a JSON file's text, plus byte damage. */
export function jsonFileMutants(text: string): fc.Arbitrary<Mutant> {
  const value = JSON.parse(text) as unknown;
  return fc.oneof(
    { arbitrary: jsonEdit.map((edit) => { const t = editJson(value, edit); return { file: utf8.encode(t), how: `${edit.op} #${edit.pick} key ${JSON.stringify(edit.key)} → ${t.slice(0, 120)}` }; }), weight: 8 },
    { arbitrary: byteMutants(utf8.encode(text)), weight: 2 },
  );
}

/** Tokens a PGM header or sample may be replaced by. */
const pgmToken = fc.constantFrom('0', '-1', '1', '28', '27', '255', '256', '65535', '65536', '1e999', 'NaN', '-0', '0x1c', '', '#', '# c\n', 'P5', '\0', '99999999999', '28.5', ' ');

/** Edits of a PGM: a header field or sample token replaced, and byte damage. */
export function pgmMutants(seed: Uint8Array): fc.Arbitrary<Mutant> {
  const text = new TextDecoder('latin1').decode(seed);
  const tokens = text.split(/(\s+)/);
  const replace = fc.tuple(fc.nat(), pgmToken).map(([pick, t]) => {
    const words = tokens.map((x, i) => [x, i] as const).filter(([x]) => x.trim() !== '');
    const at = words[pick % Math.min(words.length, pick % 3 === 0 ? 4 : words.length)]![1];
    const out = [...tokens];
    out[at] = t;
    return { file: new Uint8Array([...out.join('')].map((c) => c.charCodeAt(0) & 0xff)), how: `token ${at} → ${JSON.stringify(t)}` };
  });
  return fc.oneof({ arbitrary: replace, weight: 1 }, { arbitrary: byteMutants(seed), weight: 1 });
}
