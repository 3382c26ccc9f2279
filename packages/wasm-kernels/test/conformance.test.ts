// The tensor-core conformance suite on `wasm` against `cpu`: every op, forward and gradients,
// at odd and block-crossing sizes.
import { beforeAll, describe, it } from 'vitest';
import { setBackend } from '@qkv/tensor-core';
import { conformanceCases, expectConformance } from '@qkv/tensor-core/testing';
import '../src/index.js';

describe('wasm conformance against cpu', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });
  for (const c of conformanceCases) it(c.name, () => expectConformance(c, 'wasm'));
});
