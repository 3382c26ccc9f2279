// Mutations for the CLI's fuzz tests: random command lines (commands, recipes, known and unknown
// flags, duplicates, values such as NaN, 1e999, -0, '' and prototype names), JSON edits of a
// manifest (values of the wrong type or size, prototype keys, deleted, renamed, duplicated
// members) and byte/text edits of image files, the JSON and byte edits from
// @qkv/fuzz-harness/mutations.
import fc from 'fast-check';
import { PROTOTYPE_KEYS, byteMutants, editJson, jsonEdits, nastyKeys, nastyValues } from '@qkv/fuzz-harness/mutations';

export { byteMutants };

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

/** Values of the wrong type, negative, fractional, huge, nested or prototype-named. */
export const nastyValue: fc.Arbitrary<unknown> = nastyValues([-1, 0, 1, 1.5, -0.5, 2 ** 53, 1e308, -1e308, '', 'x', '1e999', 'NaN', '__proto__', 'constructor', null, true, false, [], {}, { __proto__: '1' }, ['a']]);

const jsonEdit = jsonEdits(nastyValue, nastyKeys(['recipe', 'run', 'seed', 'settings', 'warmup', 'dModel']));

/** A mutated file and how it was made. */
export interface Mutant {
  file: Uint8Array;
  how: string;
}

const utf8 = new TextEncoder();

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
