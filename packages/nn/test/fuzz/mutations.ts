// Mutations of valid safetensors files for the fuzz tests: the shared byte edits of
// @qkv/fuzz-harness/mutations (with absurd header lengths) and JSON edits of the header with the
// values and keys of qkv's files, including inside the JSON strings a checkpoint keeps in its
// metadata.
import fc from 'fast-check';
import { byteMutants, describeEdit, editJson, joinSafetensors, jsonEdits, nastyKeys, nastyValues, splitSafetensors } from '@qkv/fuzz-harness/mutations';

/** A mutated file and how it was made (for reproducing a failure). */
export interface Mutant {
  file: Uint8Array;
  how: string;
}

/** Values of the wrong type, negative, fractional, huge, nested or prototype-named. */
export const nastyValue: fc.Arbitrary<unknown> = nastyValues([-1, 0, 1, 1.5, -0.5, 1e15, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, 1e308, -1e308, '', 'x', 'F32', 'BF16', '__proto__', 'constructor', null, true, false, [], {}, [1e15, 0], [0, 1e15], [-1], [2 ** 53, 2 ** 53], [0, 2 ** 60]]);

const jsonEdit = jsonEdits(nastyValue, nastyKeys(['__metadata__', 'params', 'lr', 'step']));

/** Header-level mutations of `seed`; with `nested`, also inside JSON-valued metadata strings. */
export function headerMutants(seed: Uint8Array, nested: readonly string[] = []): fc.Arbitrary<Mutant> {
  const { header, data } = splitSafetensors(seed);
  const meta = (header.__metadata__ ?? {}) as Record<string, string>;
  const top = jsonEdit.map((edit) => ({ file: joinSafetensors(editJson(header, edit), data), how: `header edit ${describeEdit(edit)}` }));
  if (nested.length === 0) return top;
  const inner = fc.tuple(fc.constantFrom(...nested), jsonEdit).map(([key, edit]) => {
    const h = JSON.parse(JSON.stringify(header)) as Record<string, Record<string, string>>;
    h.__metadata__![key] = editJson(JSON.parse(meta[key]!), edit);
    return { file: joinSafetensors(JSON.stringify(h), data), how: `metadata ${key} edit ${describeEdit(edit)}` };
  });
  return fc.oneof(top, inner);
}

/** Every kind of mutation of `seed`. */
export function mutants(seed: Uint8Array, nested: readonly string[] = []): fc.Arbitrary<Mutant> {
  return fc.oneof(byteMutants(seed, { headerLength: true }), headerMutants(seed, nested));
}
