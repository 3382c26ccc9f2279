// The pieces the suites rely on, against hand-computed values and independent plain-JS references.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserMeasurements, chromiumArgs } from '../src/browser/rows.js';
import { browserWorkloads, compareToReference } from '../src/browser/workloads.js';
import { scaledTol } from '../src/harness.js';
import { tfCrossEntropy, tfLayerNorm, tfLinear } from '../src/peers/tfjs-layers.js';
import { memoryRows } from '../src/report.js';
import { assertSameTokens } from '../src/suites/gpt-decode.js';
import { courseTable } from '../src/suites/rnn-vs-attention.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tfjs peer layers (PyTorch layout)', () => {
  it('tfLinear computes x·Wᵀ + b', () => {
    const y = tfLinear(tf, tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 0], [0, 1], [1, 1]]), tf.tensor1d([0.5, 0, -1]));
    expect(Array.from(y.dataSync())).toEqual([1.5, 2, 2]);
  });
  it('tfLayerNorm normalises the last dim with the biased variance', () => {
    const y = tfLayerNorm(tf, tf.tensor2d([[1, 3]]), tf.tensor1d([2, 2]), tf.tensor1d([1, 1]), 0);
    expect(Array.from(y.dataSync())).toEqual([-1, 3]); // (x − 2)/1 · 2 + 1
  });
  it('tfCrossEntropy is the mean of −log softmax at the targets', () => {
    const loss = tfCrossEntropy(tf, tf.tensor2d([[0, 0], [Math.log(3), 0]]), tf.tensor1d([0, 0], 'int32'));
    expect(loss.dataSync()[0]).toBeCloseTo((Math.log(2) + Math.log(4 / 3)) / 2, 6);
  });
});

describe('checks', () => {
  it('scaledTol grows with the reference scale but never below rtol', () => {
    expect(scaledTol([0.1, -0.2], 1e-4)).toBe(1e-4);
    expect(scaledTol([50, -200], 1e-4)).toBeCloseTo(0.02, 10);
  });
  it('assertSameTokens names the first differing position', () => {
    expect(() => assertSameTokens('gpt', Int32Array.of(1, 2, 3), Int32Array.of(1, 2, 3))).not.toThrow();
    expect(() => assertSameTokens('gpt', Int32Array.of(1, 5, 3), Int32Array.of(1, 2, 3))).toThrow('gpt: token 1 is 5, expected 2 (of 3)');
    expect(() => assertSameTokens('gpt', Int32Array.of(1), Int32Array.of(1, 2))).toThrow(/token 1 is undefined/);
  });
  it('the browser check fails loudly on a wrong answer or a NaN', () => {
    expect(compareToReference('gemm', [1, 2], [1, 2.0001], 1e-3)).toBeCloseTo(1e-4, 6);
    expect(() => compareToReference('gemm 64³ on webgl', [1, 3], [1, 2], 1e-3)).toThrow(/gemm 64³ on webgl: computes the wrong answer/);
    expect(() => compareToReference('mha', [NaN], [1], 1e-3)).toThrow(/value 0 is NaN/);
  });
});

describe('browser runner', () => {
  it('uses SwiftShader only when there is no real GPU', () => {
    expect(chromiumArgs(false)).toEqual(expect.arrayContaining(['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu']));
    expect(chromiumArgs(true).some((a) => a.includes('swiftshader'))).toBe(false);
    expect(chromiumArgs(true)).toContain('--enable-unsafe-webgpu');
  });
  it('builds seeded workloads with their FLOPs', () => {
    const [gemm, mha] = browserWorkloads({ gemm: [4], mha: [3], mhaDims: [8, 2] });
    expect(gemm!.flops).toBe(2 * 4 ** 3);
    expect(gemm!.inputs.map((i) => i.data.length)).toEqual([16, 16]);
    expect(mha!.shape).toBe('L=3 E=8 H=2');
    expect(mha!.flops).toBe(8 * 3 * 64 + 4 * 9 * 8);
  });
  it('turns page rows into measurements with median, min and max', () => {
    const [m] = browserMeasurements([{ op: 'gemm', shape: '64³', backend: 'webgl', times: [3, 1, 2], maxAbsDiff: 1e-6, flops: 2e9 }]);
    expect(m).toMatchObject({ suite: 'browser', case: 'gemm 64³', system: 'qkv-webgl', medianMs: 2, minMs: 1, maxMs: 3, runs: 3 });
    expect(() => browserMeasurements([{ op: 'mha', shape: 'x', backend: 'cpu', times: [], maxAbsDiff: 0, flops: 1 }])).toThrow(/no timed run/);
  });
});

describe('report', () => {
  it('lays out the course table: one row per layer, its complexities, then measured ms per backend and pass', () => {
    const m = (system: string, c: string, medianMs: number) => ({ suite: 'rnn-vs-attention', case: c, system, medianMs, minMs: medianMs, maxMs: medianMs, runs: 1 });
    const table = courseTable([m('qkv-wasm GRU', 'forward n=512 d=512', 120), m('qkv-wasm self-attention', 'forward n=512 d=512', 8.25)]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| layer | complexity per layer | sequential operations | max path length | qkv-wasm forward ms |');
    expect(lines[2]).toBe('| GRU | O(n·d²) | O(n) | O(n) | 120 |');
    expect(lines[3]).toBe('| self-attention | O(n²·d) | O(1) | O(1) | 8.3 |');
  });
  it('has one memory row per suite', () => {
    expect(memoryRows({ gemm: { peakRssMb: 200.4, peakHeapMb: 30.6, peakExternalMb: 12 } })).toEqual([{ suite: 'gemm', 'peak RSS MB': '200', 'peak JS heap MB': '31', 'peak external MB': '12' }]);
  });
});
