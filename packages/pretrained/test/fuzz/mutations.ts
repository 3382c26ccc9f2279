// Mutations of the files of a Hub folder for the fuzz tests: the shared JSON, byte and text edits
// of @qkv/fuzz-harness/mutations with the values, keys, file names and characters of Hub folders
// (NaN/±1e999 written as number text, file names with `../`, config field names, tokenizer markers).
import fc from 'fast-check';
import { NumberText, byteMutants as sharedByteMutants, describeEdit, editJson, joinSafetensors, jsonEdits, nastyKeys, nastyValues, splitSafetensors, textMutants as sharedTextMutants } from '@qkv/fuzz-harness/mutations';

/** File names a shard index or a config may point at: missing, outside the folder, odd. */
export const FILE_NAMES = ['../model.safetensors', '../../etc/passwd', '/etc/passwd', 'missing.safetensors', 'config.json', 'model.safetensors', 'model-00001-of-00002.safetensors', '..', '.', '', 'a/b.safetensors', 'C:\\x', '__proto__', 'constructor'];

/** Values of the wrong type, negative, fractional, huge, non-finite, nested, prototype-named or a bad path. */
export const nastyValue: fc.Arbitrary<unknown> = nastyValues(
  [-1, 0, 1, 1.5, -0.5, -0, 2, 3, 4, 255, 1e15, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, -1e308, 65_536, 4_000_000, 16_384, '', 'x', 'F16', 'BF16', 'gpt2', 'bert', 'vit', 'gelu', '__proto__', 'constructor', null, true, false, [], {}, [1e15, 0], [-1], [2 ** 53, 2 ** 53], { height: 1e9, width: 1 }, { height: 0, width: 0 }, { 0: '__proto__', 1: 'constructor' }, { __proto__: 'x' }],
  fc.constantFrom<unknown>(new NumberText('NaN'), new NumberText('1e999'), new NumberText('-1e999'), new NumberText('-0'), new NumberText('1e-400')),
  fc.constantFrom<unknown>(...FILE_NAMES),
);

/** Edits with a prototype key, a field name of a Hub file, the empty string, or random text as names. */
const jsonEdit = jsonEdits(nastyValue, nastyKeys(['model_type', 'architectures', 'id2label', 'weight_map', 'size', 'image_mean', '0', '1', '-1', '01', '1e3', 'wte.weight', '__metadata__']));

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

/** Builds a safetensors file from header text and data. */
export const joinFile = joinSafetensors;

/** Byte-level damage to any file, an absurd value in its first 8 bytes (a safetensors header length) included. */
export function byteMutants(seed: Uint8Array): fc.Arbitrary<Mutant> {
  return sharedByteMutants(seed, { headerLength: true });
}

/** Every kind of mutation of a safetensors file: bytes (absurd header lengths included), and JSON edits of its header. */
export function safetensorsMutants(seed: Uint8Array): fc.Arbitrary<Mutant> {
  const { header, data } = splitSafetensors(seed);
  const edits = jsonEdit.map((edit) => ({ file: joinSafetensors(editJson(header, edit), data), how: `header edit ${describeEdit(edit)}` }));
  return fc.oneof(byteMutants(seed), edits);
}

/** Text edits of a tokenizer file: truncation, odd characters, long runs (up to 100,000 characters), repeated lines. */
export function textMutants(seed: string): fc.Arbitrary<Mutant> {
  return sharedTextMutants(seed, ['\0', '\n', '\r', '\r\n', '\t', ' ', '"', '\\', '\u2028', '\uD800', '한', '😀', 'é', '\u0301', '[UNK]', '#', '#version: 0.2', 'Ġ', '__proto__'], 100_000).map(({ text, how }) => ({ file: utf8.encode(text), how }));
}
