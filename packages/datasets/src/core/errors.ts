/** The error every loader, split, batcher and metric throws: the message starts with the function that failed. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/**
 * Builds a {@link DatasetError} whose message reads `fn: expected …, got …`.
 * @example throw datasetError('splitIndices', 'fractions summing to 1', 1.2)
 */
export function datasetError(fn: string, expected: string, got: unknown): DatasetError {
  return new DatasetError(`${fn}: expected ${expected}, got ${describe(got)}`);
}

/** A short, printable description of an unexpected value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return 'an object';
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function checkInteger(fn: string, name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw datasetError(fn, `${name} to be an integer ${range}`, value);
  }
}

/** Throws unless `value` is a string of at most `maxLength` UTF-16 units (bounds the work a file can cause). */
export function checkText(fn: string, name: string, value: unknown, maxLength: number): asserts value is string {
  if (typeof value !== 'string') throw datasetError(fn, `${name} to be a string`, value);
  if (value.length > maxLength) throw datasetError(fn, `${name} of at most ${maxLength.toLocaleString('en-US')} characters`, `${value.length.toLocaleString('en-US')} characters`);
}
