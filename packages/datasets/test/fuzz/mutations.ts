// Mutations of valid dataset files for the fuzz tests: the shared JSON and text edits of
// @qkv/fuzz-harness/mutations with the values, keys and characters of the datasets' formats, and
// binary junk inserted into text.
import fc from 'fast-check';
import { editJson, jsonEdits, nastyKeys, nastyValues, textMutants as sharedTextMutants } from '@qkv/fuzz-harness/mutations';

/** Values of the wrong type, negative, fractional, huge, nested or prototype-named. */
export const nastyValue: fc.Arbitrary<unknown> = nastyValues([-1, 0, 1, 1.5, -0.5, 2, 255, 1e15, 2 ** 53, 1e308, -1e308, '', 'x', 'K AE1 T', 'B1', '__proto__', 'spam-1', null, true, false, [], {}, [0.5], { data: [] }]);

const jsonEdit = jsonEdits(nastyValue, nastyKeys(['data', 'READ(1)', 'read', 'A(999)', 'text']));

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

/** Text edits of `seed`: the shared ones (truncation, odd characters, runs up to 200,000 characters, repeated lines) and binary junk. */
export function textMutants(seed: string): fc.Arbitrary<Mutant<string>> {
  return fc.oneof(
    sharedTextMutants(seed, ['\0', '\n', '\r', '\r\n', '\t', ' ', '/', '//', '(', ')', '(1)', '9', '"', '\\', '\u2028', '\uD800', '한', '😀', 'é', '\u0301', 'ca01', 'news']).map(({ text, how }) => ({ value: text, how })),
    fc.tuple(fc.nat(seed.length), fc.string({ unit: 'binary', maxLength: 80 })).map(([at, junk]) => ({ value: seed.slice(0, at) + junk + seed.slice(at), how: `${JSON.stringify(junk)} inserted at ${at}` })),
  );
}
