// Reading config.json: every field's type and range checked before use, errors that name the file
// and the field, and the fields that change the maths refused unless they hold the value qkv implements.
import { QkvError } from '@qkv/tensor-core';

/** A Hub folder qkv cannot open (or a model it cannot save): the message names the file and the field. */
export class PretrainedError extends QkvError {
  /** `options.cause`: the error it wraps (a tokenizer file's TokenizerError). */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

/** The largest width, depth, vocabulary or context qkv accepts from a config (a bound on the work a file can ask for). */
export const LIMITS = { width: 65_536, layers: 512, heads: 1024, vocab: 4_000_000, positions: 1_048_576, labels: 100_000 } as const;

/** A parsed config.json: its fields in a Map (names never become object keys). */
export class HubConfig {
  readonly fields: Map<string, unknown>;
  /**
   * The values the checkpoint holds (elements of all its tensors), set by `fromPretrained` after
   * reading its headers and before building: a config whose sizes need more parameters than that
   * cannot load, and is refused before the model is allocated. Undefined: no bound.
   */
  parameterBudget?: number;

  constructor(readonly file: string, json: unknown, readonly where = 'fromPretrained') {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw this.error(`must be a JSON object, got ${Array.isArray(json) ? 'an array' : typeof json}`);
    this.fields = new Map(Object.entries(json));
  }

  /** An error naming the function, the file and (if given) the field. */
  error(message: string, field?: string): PretrainedError {
    return new PretrainedError(`${this.where}: ${this.file}${field === undefined ? '' : ` field '${field}'`} ${message}`);
  }

  has(field: string): boolean {
    return this.fields.has(field) && this.fields.get(field) !== null;
  }

  /** An integer in [min, max]; `fallback` when the field is absent or null (an error when there is none). */
  int(field: string, min: number, max: number, fallback?: number): number {
    const v = this.has(field) ? this.fields.get(field) : fallback;
    if (v === undefined) throw this.error('is required and missing', field);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw this.error(`must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`, field);
    return v;
  }

  /** A finite number in (0, max] (epsilons, rescale factors). */
  positive(field: string, max: number, fallback?: number): number {
    const v = this.has(field) ? this.fields.get(field) : fallback;
    if (v === undefined) throw this.error('is required and missing', field);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) throw this.error(`must be a number in (0, ${max}], got ${JSON.stringify(v)}`, field);
    return v;
  }

  /** A finite number (means, stds are checked by their users). */
  number(field: string, fallback?: number): number {
    const v = this.has(field) ? this.fields.get(field) : fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.error(`must be a finite number, got ${JSON.stringify(v)}`, field);
    return v;
  }

  string(field: string, fallback?: string): string {
    const v = this.has(field) ? this.fields.get(field) : fallback;
    if (typeof v !== 'string') throw this.error(`must be a string, got ${JSON.stringify(v)}`, field);
    return v;
  }

  bool(field: string, fallback?: boolean): boolean {
    const v = this.has(field) ? this.fields.get(field) : fallback;
    if (typeof v !== 'boolean') throw this.error(`must be true or false, got ${JSON.stringify(v)}`, field);
    return v;
  }

  /** A string among `allowed` (values that change the maths qkv does not implement are refused by name). */
  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const v = this.string(field, fallback);
    if (!(allowed as readonly string[]).includes(v)) throw this.error(`is '${v}', which qkv does not implement (supported: ${allowed.map((a) => `'${a}'`).join(', ')})`, field);
    return v as T;
  }

  /** Refuses a field whose present value is not the one qkv implements (absent or null is fine). */
  requireAbsentOr(field: string, value: unknown, why: string): void {
    if (!this.has(field)) return;
    const v = this.fields.get(field);
    if (v !== value) throw this.error(`is ${JSON.stringify(v)}: ${why}; qkv implements only ${JSON.stringify(value)}`, field);
  }

  /** The first of `architectures`, or `fallback` when the field is absent. */
  architecture(fallback: string): string {
    if (!this.has('architectures')) return fallback;
    const v = this.fields.get('architectures');
    if (!Array.isArray(v) || v.length !== 1 || typeof v[0] !== 'string') throw this.error(`must be a list of one architecture name, got ${JSON.stringify(v)?.slice(0, 80)}`, 'architectures');
    return v[0];
  }

  /** `id2label` as labels in id order (ids 0 … n−1 each exactly once), or null when absent. */
  labels(): string[] | null {
    if (!this.has('id2label')) return null;
    const v = this.fields.get('id2label');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.error('must be an object { "0": label, … }', 'id2label');
    const entries = Object.entries(v);
    if (entries.length === 0 || entries.length > LIMITS.labels) throw this.error(`must hold 1 to ${LIMITS.labels} labels, got ${entries.length}`, 'id2label');
    const labels = new Array<string>(entries.length);
    for (const [id, label] of entries) {
      const i = Number(id);
      if (!/^\d+$/.test(id) || i >= entries.length || labels[i] !== undefined) throw this.error(`must use the ids 0 … ${entries.length - 1} once each, got '${id.slice(0, 20)}'`, 'id2label');
      if (typeof label !== 'string') throw this.error(`label ${id} must be a string, got ${JSON.stringify(label)?.slice(0, 40)}`, 'id2label');
      labels[i] = label;
    }
    return labels;
  }

  /**
   * Refuses sizes that need at least `atLeast` parameters when the checkpoint holds fewer values
   * (`sizes` names the fields, e.g. "n_embd 768, n_layer 12"): the work a config.json can ask for
   * stays bounded by the file it comes with.
   */
  checkParameters(atLeast: number, sizes: string): void {
    if (this.parameterBudget !== undefined && atLeast > this.parameterBudget) {
      throw this.error(`sizes (${sizes}) need at least ${atLeast.toLocaleString('en-US')} parameters, but the checkpoint holds ${this.parameterBudget.toLocaleString('en-US')} values`);
    }
  }

  /** The fields as a plain JSON object again (for saving them back). */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.fields);
  }
}

/** Parses JSON text from a file of the folder, naming it on failure. */
export function parseJsonFile(text: string, file: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PretrainedError(`${where}: ${file} is not valid JSON (${(err as Error).message})`);
  }
}
