// The one error class of @qkv/nn's file IO (safetensors files and the checkpoints stored in them),
// and a bounded describer of untrusted values for its messages.
import { QkvError } from '@qkv/tensor-core';

/**
 * A malformed or hostile safetensors file or checkpoint. The message reads
 * `<function>: <file>: <field>: expected …, got …`; `file` and `field` are also properties.
 * @example try { load(bytes, { file: 'model.safetensors' }) } catch (e) { if (e instanceof SafetensorsError) console.error(e.message) }
 */
export class SafetensorsError extends QkvError {
  /** The file named by the caller (`load(bytes, { file })`, `loadFile(path)`), if any. */
  readonly file: string | undefined;
  /** The header field or metadata key that failed, e.g. `tensor 'w'.shape`, when one did. */
  readonly field: string | undefined;
  constructor(message: string, details: { file?: string; field?: string } = {}) {
    super(message);
    this.file = details.file;
    this.field = details.field;
  }
}

/** Where a check runs: the public function, and the file it reads when the caller named one. */
export interface IOContext {
  fn: string;
  file?: string;
}

/** Builds the error: `fn: file: field: what`. */
export function ioError(ctx: IOContext, field: string | undefined, what: string): SafetensorsError {
  const parts = [ctx.fn, ctx.file, field].filter((p): p is string => p !== undefined && p !== '');
  return new SafetensorsError(`${parts.join(': ')}: ${what}`, { file: ctx.file, field });
}

/**
 * A short printable description of an untrusted value (never JSON.stringify, which recurses and can
 * overflow the stack on deep input): strings quoted and cut at 40 characters, arrays by their first items.
 * @example describeValue([1, 'x', [2]]) // '[1,"x",[…]]'
 */
export function describeValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    if (depth > 0) return '[…]';
    const shown = value.slice(0, 6).map((v) => describeValue(v, depth + 1));
    return `[${shown.join(',')}${value.length > 6 ? `,… (${value.length} items)` : ''}]`;
  }
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/**
 * Finds the first duplicate key of any object in a JSON text that `JSON.parse` accepted (it keeps the
 * last silently; a file that names one tensor twice is ambiguous, so readers reject it).
 * Runs in one pass, O(length).
 * @example duplicateKey('{"a":1,"a":2}') // 'a'
 */
export function duplicateKey(text: string): string | undefined {
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) stack.push(new Set()); // {
    else if (c === 0x5b) stack.push(null); // [
    else if (c === 0x7d || c === 0x5d) stack.pop(); // } ]
    else if (c === 0x22) {
      // "…": find its end, skipping escapes
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const keys = stack[stack.length - 1];
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      if (keys && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = j;
    }
  }
  return undefined;
}
