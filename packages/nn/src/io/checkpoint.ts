// Checkpoints: model weights, optimizer state, scheduler position and RNG state in one safetensors
// file, so an interrupted run resumes bit for bit.
import { ValueError } from '@qkv/tensor-core';
import type { Tensor , Generator} from '@qkv/tensor-core';
import type { Module } from '../module.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import type { LRScheduler } from '../optim/scheduler.js';
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

const FORMAT = 'qkv-checkpoint/1';

/**
 * Serialises the given parts: tensors `model.<PyTorch key>` and `optimizer.<index>.<state>`,
 * the rest as JSON in the metadata.
 * @example await saveFile('ckpt.safetensors', …) // or: const bytes = saveCheckpoint({ model, optimizer, scheduler })
 */
export function saveCheckpoint(parts: CheckpointParts): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  const metadata: Record<string, string> = { format: FORMAT };
  if (parts.model) for (const [k, v] of Object.entries(parts.model.stateDict())) tensors[`model.${k}`] = v;
  if (parts.optimizer) {
    const sd = parts.optimizer.stateDict();
    const numbers: Record<string, Record<string, number>> = {};
    for (const [i, s] of Object.entries(sd.state)) {
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') (numbers[i] ??= {})[k] = v;
        else tensors[`optimizer.${i}.${k}`] = v;
      }
    }
    metadata.optimizer = JSON.stringify({ paramGroups: sd.paramGroups, numbers });
  }
  if (parts.scheduler) metadata.scheduler = JSON.stringify(parts.scheduler.stateDict());
  if (parts.generator) metadata.generator = JSON.stringify(parts.generator.getState());
  if (parts.extra !== undefined) metadata.extra = JSON.stringify(parts.extra);
  return save(tensors, { metadata });
}

/**
 * Restores the given parts from `saveCheckpoint` bytes (strictly: every part asked for must be
 * in the file) and returns the extras.
 * @example const { extra } = loadCheckpoint(bytes, { model, optimizer, scheduler })
 */
export function loadCheckpoint(data: Uint8Array | ArrayBuffer, parts: CheckpointParts): { extra: unknown } {
  const { tensors, metadata } = load(data);
  if (metadata.format !== FORMAT) throw new ValueError(`loadCheckpoint: expected metadata format '${FORMAT}', got '${metadata.format}'`);
  const need = (key: string): string => {
    const v = metadata[key];
    if (v === undefined) throw new ValueError(`loadCheckpoint: the checkpoint has no ${key}`);
    return v;
  };
  if (parts.model) {
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(tensors)) if (k.startsWith('model.')) sd[k.slice(6)] = v;
    parts.model.loadStateDict(sd);
  }
  if (parts.optimizer) {
    const saved = JSON.parse(need('optimizer')) as { paramGroups: OptimizerStateDict['paramGroups']; numbers: Record<string, Record<string, number>> };
    const state: Record<number, ParamState> = {};
    for (const [i, nums] of Object.entries(saved.numbers)) state[Number(i)] = { ...nums };
    for (const [k, v] of Object.entries(tensors)) {
      const m = /^optimizer\.(\d+)\.(.+)$/.exec(k);
      if (m) (state[Number(m[1])] ??= {})[m[2]!] = v;
    }
    parts.optimizer.loadStateDict({ state, paramGroups: saved.paramGroups });
  }
  if (parts.scheduler) parts.scheduler.loadStateDict(JSON.parse(need('scheduler')));
  if (parts.generator) parts.generator.setState(JSON.parse(need('generator')) as number[]);
  for (const t of Object.values(tensors)) t.dispose();
  return { extra: metadata.extra === undefined ? undefined : JSON.parse(metadata.extra) };
}
