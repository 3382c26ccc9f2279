// The tensor-core conformance suite on gpu.js's WebAssembly mode: the same kernel sources the
// browser runs on WebGL and WebGPU, compiled to wasm in Node, compared with the cpu reference.
import { conformanceCases, expectConformance } from '@qkv/tensor-core/testing';
import { beforeAll, describe, it } from 'vitest';
import { registerWebAsmBackend } from '../src/index.js';

beforeAll(() => registerWebAsmBackend());

describe('conformance on gpu.js webasm', () => {
  for (const c of conformanceCases) it(c.name, () => expectConformance(c, 'webasm'));
});
