// The backend's own contract in Node: registration per environment, every kernel present (so the
// async-only WebGPU backend never needs a synchronous cpu fallback), size limits that fail loudly,
// and storage freed by dispose/tidy.
import { allKernelNames, backendInstance, listBackends, memory, ones, setBackend, tensor, tidy } from '@qkv/tensor-core';
import { GPU } from 'gpu.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GpuBackend} from '../src/index.js';
import { gpuKernels, registerGpuBackend, registerWebAsmBackend } from '../src/index.js';

beforeAll(() => {
  registerWebAsmBackend();
  registerGpuBackend('webasm-small', 'webasm', 0, { maxTextureSize: 64 }); // 64² = 4096 cells at most
});
afterEach(async () => setBackend('cpu'));

describe('registration', () => {
  it('registers no browser backend in Node, and headlessgl only where gpu.js supports it', () => {
    const names = listBackends();
    expect(names).not.toContain('webgl');
    expect(names).not.toContain('webgpu');
    expect(names.includes('headlessgl')).toBe(GPU.isHeadlessGLSupported);
  });

  it('implements every kernel tensor-core names except the engine-owned Reshape, FusedAttentionGrad and AdamStep', () => {
    const missing = allKernelNames.filter((n) => !(n in gpuKernels));
    expect(missing).toEqual(['Reshape', 'FusedAttentionGrad', 'AdamStep']); // the attention gradient and Adam compose ops on the device
  });

  it('ranks webasm below cpu so it is never picked by default', () => {
    expect(listBackends().indexOf('webasm')).toBeGreaterThan(listBackends().indexOf('cpu'));
  });
});

describe('size limits (gpu.js issues #491/#541/#607: never silently zeros)', () => {
  it('computes an output of exactly maxTextureSize² cells', async () => {
    await setBackend('webasm-small');
    const s = tidy(() => ones([64, 64]).add(1).sum());
    expect(Array.from(await s.data())).toEqual([8192]);
    s.dispose();
  });

  it('throws a BackendError naming the op and the limit for one cell more', async () => {
    await setBackend('webasm-small');
    const x = tensor(new Float32Array(65 * 64).fill(1), { shape: [65, 64] });
    expect(() => x.add(1)).toThrowError(/^Add: output of 4160 elements exceeds webasm-small's limit of 4096 per tensor/);
    x.dispose();
  });
});

describe('memory', () => {
  it('frees every handle made inside tidy, and the rest on dispose', async () => {
    await setBackend('webasm');
    const gpu = backendInstance('webasm') as GpuBackend;
    const before = gpu.memory().handles;
    const x = tensor([[1, 2], [3, 4]]);
    const y = tidy(() => x.matmul(x).softmax(-1).mul(2));
    expect(gpu.memory().handles).toBe(before + 2);
    expect(memory().numTensors).toBeGreaterThanOrEqual(2);
    x.dispose();
    y.dispose();
    expect(gpu.memory().handles).toBe(before);
  });

  it('reads int32 and bool results back in their dtype', async () => {
    await setBackend('webasm');
    const x = tensor([-2.7, -0.5, 0.5, 2.7]);
    const asInt = x.to('int32');
    const positive = x.gt(0);
    expect(await asInt.data()).toEqual(new Int32Array([-2, 0, 0, 2]));
    expect(await positive.data()).toEqual(new Uint8Array([0, 0, 1, 1]));
    for (const t of [x, asInt, positive]) t.dispose();
  });
});
