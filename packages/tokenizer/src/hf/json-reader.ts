/**
 * Checked reads of a parsed JSON file: each getter names the field it reads, so a bad value
 * throws `fn: file field: expected …, got …` and never reaches the tokenizer as a wrong type.
 */
import { fieldError, TokenizerError } from '../core/errors.js';

import { isObject, MAX_TOKENS } from '../core/json-input.js';

/** The largest vocabulary, merge list or added-token list a reader accepts. */
export const MAX_ENTRIES = MAX_TOKENS;
/** The largest id a reader accepts: ids index arrays, so they stay below the entry bound. */
export const MAX_ID = MAX_ENTRIES - 1;

/** Reads fields of one file for one public function. */
export class JsonReader {
  constructor(
    readonly fn: string,
    readonly file: string,
  ) {}

  /** An error about `field`. */
  error(field: string, expected: string, got: unknown): TokenizerError {
    return fieldError(this.fn, this.file, field, expected, got);
  }

  /** An error saying a component or option value is not supported. */
  unsupported(what: string): TokenizerError {
    return new TokenizerError(`${this.fn}: ${what} is not supported`, this.file);
  }

  /** A JSON object (own keys only are read, so `__proto__` or `constructor` keys are plain data). */
  object(value: unknown, field: string): Record<string, unknown> {
    if (!isObject(value)) throw this.error(field, 'an object', value);
    return value;
  }

  /** An own property of `obj`, or undefined (never one from the prototype chain). */
  get(obj: Record<string, unknown>, key: string): unknown {
    return Object.hasOwn(obj, key) ? obj[key] : undefined;
  }

  string(value: unknown, field: string, options: { nonEmpty?: boolean } = {}): string {
    if (typeof value !== 'string' || (options.nonEmpty === true && value === '')) {
      throw this.error(field, options.nonEmpty === true ? 'a non-empty string' : 'a string', value);
    }
    return value;
  }

  /** A string of exactly one code point (Rust's `char`). */
  char(value: unknown, field: string): string {
    if (typeof value !== 'string' || [...value].length !== 1) throw this.error(field, 'a string of one character', value);
    return value;
  }

  /** A boolean; `fallback` when absent (undefined). */
  boolean(value: unknown, field: string, fallback?: boolean): boolean {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') throw this.error(field, 'true or false', value);
    return value;
  }

  /** An integer in [min, max]; `fallback` when absent. */
  integer(value: unknown, field: string, min: number, max: number, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw this.error(field, `an integer in [${min}, ${max}]`, value);
    }
    return value;
  }

  /** An array of at most `maxLength` items. */
  array(value: unknown, field: string, maxLength = MAX_ENTRIES): unknown[] {
    if (!Array.isArray(value)) throw this.error(field, 'an array', value);
    if (value.length > maxLength) throw this.error(field, `at most ${maxLength} entries`, value);
    return value;
  }

  /**
   * One pipeline component (normalizer, pre-tokenizer, post-processor, decoder): null or absent is
   * none (undefined); otherwise an object with a `type` tag, inside at most 16 nested `Sequence`s.
   * `at(key)` reads an own property of it.
   */
  component(value: unknown, field: string, depth: number): { obj: Record<string, unknown>; type: string; at: (key: string) => unknown } | undefined {
    if (value === null || value === undefined) return undefined;
    if (depth > 16) throw this.error(field, 'Sequence nesting at most 16 deep', value);
    const obj = this.object(value, field);
    return { obj, type: this.type(obj, field), at: (key) => this.get(obj, key) };
  }

  /** The `type` tag of a component object. */
  type(obj: Record<string, unknown>, field: string): string {
    return this.string(this.get(obj, 'type'), `${field}.type`, { nonEmpty: true });
  }

  /** Refuses keys of `obj` other than `known`, so an option we do not implement is never ignored. */
  onlyKeys(obj: Record<string, unknown>, field: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) throw this.unsupported(`${this.file} ${field}.${key} (an unknown option)`);
    }
  }
}
