// Checkpoints: model weights, optimizer state, scheduler position and RNG state in one safetensors
// file, so an interrupted run resumes bit for bit. Loading validates every metadata field against a
// table of known keys, types and ranges before anything is changed, and turns every problem into a
// SafetensorsError naming the file and the field.
import { QkvError } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import type { Module } from '../module.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import type { LRScheduler } from '../optim/scheduler.js';
import { describeValue, ioError } from './errors.js';
import type { IOContext } from './errors.js';
import { load, save } from './safetensors.js';

/** What a checkpoint holds; every part is optional. */
export interface CheckpointParts {
  model?: Module;
  optimizer?: Optimizer<object>;
  scheduler?: LRScheduler;
  /** A random generator whose state should resume too (dropout, data shuffling). */
  generator?: Generator;
  /** Any JSON-serialisable extras (epoch, best loss…). */
  extra?: unknown;
}

/** Options of `loadCheckpoint`. */
export interface LoadCheckpointOptions {
  /** The file's name, for error messages. */
  file?: string;
  /** NaN or ±∞ in a float tensor (weights or optimizer moments): `'error'` (default) or `'allow'`. */
  nonFinite?: 'error' | 'allow';
}

const FORMAT = 'qkv-checkpoint/1';
const METADATA_KEYS = new Set(['format', 'optimizer', 'scheduler', 'generator', 'extra']);

type Check = (v: unknown) => string | undefined; // undefined = valid, else what was expected
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const nonNegative: Check = (v) => (finite(v) && v >= 0 ? undefined : 'a finite number ≥ 0');
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');

/** Every hyper-parameter a param group of qkv's optimizers may hold, with its type and range. */
const GROUP_KEYS: Readonly<Record<string, Check>> = Object.freeze(Object.assign(Object.create(null) as Record<string, Check>, {
  lr: nonNegative,
  betas: (v: unknown) => (Array.isArray(v) && v.length === 2 && v.every((b) => finite(b) && b >= 0 && b < 1) ? undefined : 'two numbers in [0, 1)'),
  eps: (v: unknown) => (finite(v) && v > 0 ? undefined : 'a finite number > 0'),
  weightDecay: nonNegative,
  amsgrad: boolean,
  momentum: nonNegative,
  dampening: (v: unknown) => (finite(v) && v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]'),
  nesterov: boolean,
}));
/** Per-parameter state: numbers (step counts) and tensors (moments, momentum buffers). */
const STATE_NUMBERS = new Set(['step']);
const STATE_TENSORS = new Set(['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'momentum_buffer']);

/**
 * Serialises the given parts: tensors `model.<PyTorch key>` and `optimizer.<index>.<state>`,
 * the rest as JSON in the metadata.
 * @example const bytes = saveCheckpoint({ model, optimizer, scheduler }); await writeFile('ckpt.safetensors', bytes)
 */
export function saveCheckpoint(parts: CheckpointParts): Uint8Array {
  const tensors = new Map<string, Tensor>();
  const metadata: Record<string, string> = { format: FORMAT };
  if (parts.model) for (const [k, v] of Object.entries(parts.model.stateDict())) tensors.set(`model.${k}`, v);
  if (parts.optimizer) {
    const sd = parts.optimizer.stateDict();
    const numbers: Record<string, Record<string, number>> = {};
    for (const [i, s] of Object.entries(sd.state)) {
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') (numbers[i] ??= {})[k] = v;
        else tensors.set(`optimizer.${i}.${k}`, v);
      }
    }
    metadata.optimizer = JSON.stringify({ paramGroups: sd.paramGroups, numbers });
  }
  if (parts.scheduler) metadata.scheduler = JSON.stringify(parts.scheduler.stateDict());
  if (parts.generator) metadata.generator = JSON.stringify(parts.generator.getState());
  if (parts.extra !== undefined) metadata.extra = JSON.stringify(parts.extra);
  return save(tensors, { metadata });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseField(ctx: IOContext, metadata: Record<string, string>, key: string): unknown {
  const text = metadata[key];
  if (text === undefined) throw ioError(ctx, `__metadata__.${key}`, `the checkpoint has no ${key}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw ioError(ctx, `__metadata__.${key}`, `expected JSON, got a parse error (${(err as Error).message})`);
  }
}

/** Validates the optimizer's JSON and tensors against the live optimizer; returns its state dict. */
function optimizerState(ctx: IOContext, raw: unknown, tensors: Map<string, Tensor>, optimizer: Optimizer<object>): OptimizerStateDict {
  const field = '__metadata__.optimizer';
  if (!isPlainObject(raw)) throw ioError(ctx, field, `expected an object {paramGroups, numbers}, got ${describeValue(raw)}`);
  const { paramGroups, numbers } = raw;
  const live = optimizer.paramGroups;
  if (!Array.isArray(paramGroups) || paramGroups.length !== live.length) throw ioError(ctx, `${field}.paramGroups`, `expected an array of ${live.length} groups, got ${describeValue(paramGroups)}`);
  const count = live.reduce((n, g) => n + g.params.length, 0);
  const groups = paramGroups.map((g: unknown, i) => {
    const at = `${field}.paramGroups[${i}]`;
    if (!isPlainObject(g)) throw ioError(ctx, at, `expected an object, got ${describeValue(g)}`);
    const group = Object.create(null) as Record<string, unknown> & { params: number[] };
    for (const [key, value] of Object.entries(g)) {
      if (key === 'params') {
        if (!Array.isArray(value) || value.length !== live[i]!.params.length || !value.every((p) => Number.isSafeInteger(p) && (p as number) >= 0 && (p as number) < count)) {
          throw ioError(ctx, `${at}.params`, `expected ${live[i]!.params.length} parameter indices in [0, ${count}), got ${describeValue(value)}`);
        }
        group.params = value as number[];
        continue;
      }
      const check = Object.hasOwn(GROUP_KEYS, key) ? GROUP_KEYS[key] : undefined;
      if (!check || !Object.hasOwn(live[i]!, key)) throw ioError(ctx, `${at}`, `unknown hyper-parameter ${describeValue(key)}; expected keys of ${optimizer.constructor.name}: ${Object.keys(live[i]!).join(', ')}`);
      const expected = check(value);
      if (expected !== undefined) throw ioError(ctx, `${at}.${key}`, `expected ${expected}, got ${describeValue(value)}`);
      group[key] = value;
    }
    if (!Object.hasOwn(group, 'params')) throw ioError(ctx, `${at}.params`, 'expected parameter indices, got none');
    return { ...group };
  });
  if (!isPlainObject(numbers)) throw ioError(ctx, `${field}.numbers`, `expected an object, got ${describeValue(numbers)}`);
  const state = new Map<number, ParamState>();
  const slot = (index: string, at: string): ParamState => {
    const i = Number(index);
    if (!/^\d{1,9}$/.test(index) || i >= count) throw ioError(ctx, at, `expected a parameter index in [0, ${count}), got ${describeValue(index)}`);
    let s = state.get(i);
    if (!s) state.set(i, (s = Object.create(null) as ParamState));
    return s;
  };
  for (const [index, values] of Object.entries(numbers)) {
    const at = `${field}.numbers[${describeValue(index)}]`;
    const s = slot(index, at);
    if (!isPlainObject(values)) throw ioError(ctx, at, `expected an object, got ${describeValue(values)}`);
    for (const [k, v] of Object.entries(values)) {
      if (!STATE_NUMBERS.has(k)) throw ioError(ctx, at, `unknown state ${describeValue(k)}; expected ${[...STATE_NUMBERS].join(', ')}`);
      if (!Number.isSafeInteger(v) || (v as number) < 0) throw ioError(ctx, `${at}.${k}`, `expected a step count (integer ≥ 0), got ${describeValue(v)}`);
      s[k] = v as number;
    }
  }
  for (const [name, t] of tensors) {
    if (!name.startsWith('optimizer.')) continue;
    const m = /^optimizer\.(\d+)\.(.+)$/.exec(name);
    if (!m || !STATE_TENSORS.has(m[2]!)) throw ioError(ctx, `tensor ${describeValue(name)}`, `expected optimizer.<index>.<${[...STATE_TENSORS].join('|')}>`);
    const s = slot(m[1]!, `tensor ${describeValue(name)}`);
    if (t.dtype !== 'float32') throw ioError(ctx, `tensor ${describeValue(name)}`, `expected a float tensor, got ${t.dtype}`);
    s[m[2]!] = t;
  }
  return { state: Object.fromEntries(state), paramGroups: groups };
}

function schedulerState(ctx: IOContext, raw: unknown): { lastEpoch: number; baseLrs: number[] } {
  const field = '__metadata__.scheduler';
  if (!isPlainObject(raw)) throw ioError(ctx, field, `expected an object {lastEpoch, baseLrs}, got ${describeValue(raw)}`);
  for (const key of Object.keys(raw)) if (key !== 'lastEpoch' && key !== 'baseLrs') throw ioError(ctx, field, `unknown key ${describeValue(key)}; expected lastEpoch, baseLrs`);
  const { lastEpoch, baseLrs } = raw;
  if (!Number.isSafeInteger(lastEpoch) || (lastEpoch as number) < 0) throw ioError(ctx, `${field}.lastEpoch`, `expected a step count (integer ≥ 0), got ${describeValue(lastEpoch)}`);
  if (!Array.isArray(baseLrs) || !baseLrs.every((lr) => finite(lr) && lr >= 0)) throw ioError(ctx, `${field}.baseLrs`, `expected an array of finite numbers ≥ 0, got ${describeValue(baseLrs)}`);
  return { lastEpoch: lastEpoch as number, baseLrs: baseLrs as number[] };
}

function generatorState(ctx: IOContext, raw: unknown): number[] {
  const ok = Array.isArray(raw) && raw.length === 6 && raw.slice(0, 4).every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32) && (raw[4] === 0 || raw[4] === 1) && finite(raw[5]);
  if (!ok) throw ioError(ctx, '__metadata__.generator', `expected [4 uint32 words, 0|1, a finite number] from Generator.getState(), got ${describeValue(raw)}`);
  return raw as number[];
}

/** Runs a part's own loader, turning its errors (a missing key, a shape) into ones naming the file. */
function restore(ctx: IOContext, part: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof QkvError) throw Object.assign(ioError(ctx, part, err.message), { cause: err });
    throw err;
  }
}

/**
 * Restores the given parts from `saveCheckpoint` bytes (strictly: every part asked for must be
 * in the file) and returns the extras. Every field is checked before any part changes: the
 * metadata's keys, the optimizer's groups (known hyper-parameters of the right type and range:
 * lr ≥ 0, betas in [0, 1), eps > 0, weightDecay ≥ 0), step counts, parameter indices, the
 * scheduler and RNG states, and (unless `nonFinite: 'allow'`) that every float tensor is finite.
 * Errors are SafetensorsErrors naming the file and field.
 * @example const { extra } = loadCheckpoint(bytes, { model, optimizer, scheduler }, { file: 'ckpt.safetensors' })
 */
export function loadCheckpoint(data: Uint8Array | ArrayBuffer, parts: CheckpointParts, options: LoadCheckpointOptions = {}): { extra: unknown } {
  const ctx: IOContext = { fn: 'loadCheckpoint', file: options.file };
  const { tensorMap: tensors, metadata } = load(data, { file: options.file, nonFinite: options.nonFinite ?? 'error' });
  try {
    if (metadata.format !== FORMAT) throw ioError(ctx, '__metadata__.format', `expected '${FORMAT}', got ${describeValue(metadata.format)}`);
    for (const key of Object.keys(metadata)) if (!METADATA_KEYS.has(key)) throw ioError(ctx, '__metadata__', `unknown key ${describeValue(key)}; expected ${[...METADATA_KEYS].join(', ')}`);
    for (const name of tensors.keys()) {
      if (!name.startsWith('model.') && !name.startsWith('optimizer.')) throw ioError(ctx, `tensor ${describeValue(name)}`, 'expected a name starting with model. or optimizer.');
    }
    // validate everything first, then change the parts
    const optimizer = parts.optimizer ? optimizerState(ctx, parseField(ctx, metadata, 'optimizer'), tensors, parts.optimizer) : undefined;
    const scheduler = parts.scheduler ? schedulerState(ctx, parseField(ctx, metadata, 'scheduler')) : undefined;
    const generator = parts.generator ? generatorState(ctx, parseField(ctx, metadata, 'generator')) : undefined;
    const extra = metadata.extra === undefined ? undefined : parseField(ctx, metadata, 'extra');
    if (parts.model) {
      const model = parts.model;
      const sd = Object.create(null) as Record<string, Tensor>;
      for (const [k, v] of tensors) if (k.startsWith('model.')) sd[k.slice(6)] = v;
      restore(ctx, 'model', () => model.loadStateDict(sd));
    }
    if (optimizer && parts.optimizer) {
      const target = parts.optimizer;
      restore(ctx, 'optimizer', () => target.loadStateDict(optimizer));
    }
    if (scheduler && parts.scheduler) {
      const target = parts.scheduler;
      restore(ctx, 'scheduler', () => target.loadStateDict(scheduler));
    }
    if (generator && parts.generator) parts.generator.setState(generator);
    return { extra };
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
