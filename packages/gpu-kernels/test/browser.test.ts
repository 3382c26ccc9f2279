// Browser tests in headless Chromium (SwiftShader): the conformance suite on `webgl` and `webgpu`,
// forward and gradients, and a 200-step training loop on `webgl` with a flat count of live textures.
import { fileURLToPath } from 'node:url';
import { conformanceCases } from '@qkv/tensor-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, skipBrowser } from './browser/harness.mjs';

type Sample = { step: number; tensors: number; textures: number; buffers: number; deviceObjects: number; loss: number };
interface PageApi {
  conformance(backend: string): Promise<Record<string, string>>;
  trainingLoop(backend: string, steps: number): Promise<Sample[]>;
  listBackends(): string[];
  dataSyncVsData(backend: string): Promise<{ error: string; data: number[] }>;
  modeOf(backend: string): Promise<string>;
}

const entry = fileURLToPath(new URL('./browser/page.ts', import.meta.url));
const results = new Map<string, Record<string, string>>();
let samples: Sample[] = [];
let backends: string[] = [];
const readback: Record<string, { error: string; data: number[] }> = {};
let webglMode = '';
let close: (() => Promise<void>) | undefined;

describe.skipIf(skipBrowser)('headless Chromium', () => {
  beforeAll(async () => {
    const opened = await openPage(entry);
    close = opened.close;
    const api = (name: keyof PageApi, ...args: unknown[]) =>
      opened.page.evaluate(([n, a]) => ((globalThis as unknown as { qkv: Record<string, (...x: unknown[]) => unknown> }).qkv[n as string]!(...(a))), [name, args] as const);
    backends = (await api('listBackends')) as string[];
    for (const b of ['webgl', 'webgpu']) if (backends.includes(b)) results.set(b, (await api('conformance', b)) as Record<string, string>);
    for (const b of ['webgl', 'webgpu']) if (backends.includes(b)) readback[b] = (await api('dataSyncVsData', b)) as { error: string; data: number[] };
    if (backends.includes('webgl')) webglMode = (await api('modeOf', 'webgl')) as string;
    if (backends.includes('webgl')) samples = (await api('trainingLoop', 'webgl', 200)) as Sample[];
  }, 110_000);
  afterAll(async () => close?.());

  it('registers webgl and webgpu', () => {
    expect(backends).toEqual(expect.arrayContaining(['webgl', 'webgpu']));
  });

  it('runs webgl on gpu.js webgl2 where the browser has WebGL 2', () => {
    expect(webglMode).toBe('webgl2');
  });

  it('reads synchronously on webgl, and only asynchronously on webgpu with a clear error', () => {
    expect(readback.webgl).toEqual({ error: '', data: [2, 4, 6] });
    expect(readback.webgpu?.data).toEqual([2, 4, 6]);
    expect(readback.webgpu?.error).toBe("dataSync: backend 'webgpu' can only be read asynchronously; use await t.data()");
  });

  for (const backend of ['webgl', 'webgpu']) {
    describe(`conformance on ${backend}`, () => {
      for (const c of conformanceCases) it(c.name, () => expect(results.get(backend)?.[c.name]).toBe('ok'));
    });
  }

  it('keeps live textures, device objects and tensors flat over 200 training steps on webgl', () => {
    expect(samples).toHaveLength(20);
    const [first, ...rest] = samples.slice(1); // after 20 steps every kernel has been compiled
    for (const s of rest) {
      expect({ textures: s.textures, deviceObjects: s.deviceObjects, tensors: s.tensors }).toEqual({ textures: first!.textures, deviceObjects: first!.deviceObjects, tensors: first!.tensors });
    }
    expect(samples.at(-1)!.loss).toBeLessThan(samples[0]!.loss); // and it does learn
  });
});
