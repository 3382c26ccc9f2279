import type fc from 'fast-check';

/** Keys that reach an object's prototype when a reader stores names in a plain object. */
export const PROTOTYPE_KEYS: readonly string[];

/** A number JSON cannot hold, written as this text (`NaN` makes the file invalid JSON; `1e999` parses to Infinity). */
export class NumberText {
  constructor(text: string);
  readonly text: string;
}

/**
 * Values of the wrong type, negative, fractional, huge or deeply nested: `constants` (a format's own
 * odd values), then `extra` arbitraries, then random integers, doubles, short strings, JSON values
 * and arrays nested 50–800 deep.
 * @example const nastyValue = nastyValues([-1, 0, 1e15, '', '__proto__', null], fc.constantFrom(new NumberText('NaN')))
 */
export function nastyValues(constants: readonly unknown[], ...extra: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown>;

/**
 * A key to add or rename to: a prototype key, the empty string, one of `names` (a format's field
 * names), or random text.
 * @example nastyKeys(['model_type', 'id2label'])
 */
export function nastyKeys(names: readonly string[]): fc.Arbitrary<string>;

/** One structural change to a JSON value; `duplicate` writes one member twice. */
export interface JsonEdit {
  op: 'replace' | 'rename' | 'delete' | 'add' | 'duplicate';
  /** Which node of the value (a path index, modulo the number of paths). */
  pick: number;
  /** The new name for `rename` and `add`. */
  key: string;
  /** The new value for `replace` and `add`. */
  value: unknown;
}

/** Edits drawing their values and keys from the given arbitraries. */
export function jsonEdits(values: fc.Arbitrary<unknown>, keys: fc.Arbitrary<string>): fc.Arbitrary<JsonEdit>;

/**
 * Applies `edit` to a copy of `value` (objects copied with null prototypes, so `__proto__` is an
 * ordinary name) and returns the JSON text.
 * @example editJson({ a: 1 }, { op: 'rename', pick: 1, key: '__proto__', value: 0 }) // '{"__proto__":1}'
 */
export function editJson(value: unknown, edit: JsonEdit): string;

/** One line saying what `edit` does, to reproduce a failure. */
export function describeEdit(edit: JsonEdit): string;

/** A safetensors file's header JSON and data buffer (the file must be valid). */
export function splitSafetensors(file: Uint8Array): { header: Record<string, unknown>; data: Uint8Array };

/** A safetensors file from header text and data: 8-byte little-endian length, the text, the data. */
export function joinSafetensors(headerText: string, data: Uint8Array): Uint8Array;

/** A mutated file and how it was made. */
export interface ByteMutant {
  file: Uint8Array;
  how: string;
}

/**
 * Byte-level mutations of `seed`: truncation, bit flips, overwritten bytes, inserted junk; with
 * `headerLength`, also an absurd value in the first 8 bytes (a safetensors header length).
 * @example byteMutants(file, { headerLength: true })
 */
export function byteMutants(seed: Uint8Array, options?: { headerLength?: boolean }): fc.Arbitrary<ByteMutant>;

/** A mutated text and how it was made. */
export interface TextMutant {
  text: string;
  how: string;
}

/**
 * Text edits of `seed`: truncation, some characters replaced by `oddChars`, one of them repeated
 * 1,000 to `maxRun` times (default 200,000), a line repeated up to 1,000 times.
 * @example textMutants(vocabTxt, ['\0', '\n', '한', '[UNK]'], 100_000)
 */
export function textMutants(seed: string, oddChars: readonly string[], maxRun?: number): fc.Arbitrary<TextMutant>;
