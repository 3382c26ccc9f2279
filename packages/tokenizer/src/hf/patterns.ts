/** The `pattern` of Split and Replace: `{ "String": "…" }` (literal) or `{ "Regex": "…" }` (Oniguruma). */
import type { JsonReader } from './json-reader.js';
import { literalRegExp, onigToRegExp } from './onig-regex.js';

/** The longest pattern, replacement or prepended text accepted (real files use a few characters). */
export const MAX_TEXT = 1000;

/**
 * Reads a pattern into a global regex. An empty String pattern matches nothing, as in `tokenizers`.
 * @example readPattern({ String: ' ' }, reader, 'pre_tokenizer.pattern')
 */
export function readPattern(value: unknown, r: JsonReader, field: string): RegExp {
  const obj = r.object(value, field);
  const keys = Object.keys(obj);
  if (keys.length !== 1 || (keys[0] !== 'String' && keys[0] !== 'Regex')) {
    throw r.error(field, '{ "String": … } or { "Regex": … }', value);
  }
  const text = r.string(obj[keys[0]], `${field}.${keys[0]}`);
  if (text.length > MAX_TEXT) throw r.error(`${field}.${keys[0]}`, `a pattern of at most ${MAX_TEXT} characters`, `${text.length} characters`);
  if (keys[0] === 'String') return text === '' ? /(?!)/gu : literalRegExp(text);
  return onigToRegExp(text, r.fn, `${r.file} ${field}.Regex`);
}
