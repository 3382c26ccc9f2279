// What a model family provides: building the qkv model from config.json, and describing a qkv
// model as config.json for saving — both with one name map.
import type { Module } from '@qkv/nn';
import type { HubConfig } from './config.js';
import type { NameMap } from './names.js';

/** A model built from a config, with the name map its checkpoint loads through. */
export interface Built {
  model: Module;
  names: NameMap;
}

/** A qkv model as a Hub folder: config.json's fields and the name map its tensors save through. */
export interface Described {
  config: Record<string, unknown>;
  names: NameMap;
}

/** One `model_type`. */
export interface Family {
  modelType: string;
  /** The architectures this family builds, the first being the default when config.json names none. */
  architectures: readonly string[];
  build(config: HubConfig, architecture: string): Built;
  /** The model as config.json + names, or null when it is not this family's. */
  describe(model: Module): Described | null;
}
