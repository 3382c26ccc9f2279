// Loads the golden fixtures: the numpy ones written by fixtures/make_fixtures.py (`<name>`), and
// those computed by PyTorch itself, written by tooling/reference-fixtures/make_fixtures.py (`torch/<name>`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** An array as the fixture scripts write it: {shape, dtype, data}, −∞ as the string '-inf'. */
export interface Encoded {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: (number | boolean | '-inf')[];
}

/** A fixture: its config, and inputs, state dict and outputs as tensors. */
export interface Fixture {
  config: Record<string, number | boolean | string>;
  inputs: Record<string, Tensor>;
  stateDict: Record<string, Tensor>;
  outputs: Record<string, Tensor>;
  /** What made it (PyTorch fixtures only), e.g. 'PyTorch 2.11.0+cu130, CPU, float64 (…)'. */
  generator?: string;
  /**
   * PyTorch fixtures only (else empty): the gradient of sum(output * inputs.grad_output) with
   * respect to each input (`src`, `tgt`, `memory`) and each parameter (`state_dict.<name>`).
   */
  grads: Record<string, Tensor>;
}

/** A tensor from a fixture array. */
export function decode(e: Encoded): Tensor {
  const values = e.data.map((v) => (v === '-inf' ? -Infinity : v));
  return tensor(values, { shape: e.shape, dtype: e.dtype });
}

function decodeAll(group: Record<string, Encoded>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(group).map(([k, v]) => [k, decode(v)]));
}

/** Reads `fixtures/<name>.json`; `name` may be `torch/<case>` for the PyTorch-computed fixtures. */
export function loadFixture(name: string): Fixture {
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', `${name}.json`), 'utf8'));
  return {
    config: raw.config, inputs: decodeAll(raw.inputs), stateDict: decodeAll(raw.state_dict), outputs: decodeAll(raw.outputs),
    generator: raw.generator, grads: decodeAll(raw.grads ?? {}),
  };
}
