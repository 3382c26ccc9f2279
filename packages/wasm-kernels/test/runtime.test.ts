// The heap allocator, memory accounting through tidy/dispose, and worker threads.
import { describe, expect, it } from 'vitest';
import { batchMatMul, memory, setBackend, tensor, tidy } from '@qkv/tensor-core';
import { setThreads, getThreads, sizeClass, wasmFeatures } from '../src/index.js';
import { Heap } from '../src/runtime/heap.js';
import { moduleBytes } from '../src/runtime/binaries.js';
import { floats } from './helpers.js';

describe('wasm heap', () => {
  it('rounds sizes to 16-byte classes up to 4 KiB, then to eighths of a power of two', () => {
    expect([1, 16, 17, 4096].map(sizeClass)).toEqual([16, 16, 32, 4096]);
    expect(sizeClass(4097)).toBe(4608);
    expect(sizeClass(1_000_000)).toBe(1_048_576);
  });

  it('reuses and merges free blocks when sizes keep changing (batches of varying length)', () => {
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 4096 });
    const heap = new Heap(mem, 0, 4096);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let step = 0; step < 300; step++) {
      // a "training step": 40 tensors whose sizes depend on this batch's sequence length
      const len = 5 + Math.floor(rand() * 40);
      const blocks = Array.from({ length: 40 }, (_, i) => {
        const bytes = len * (1 + (i % 7)) * 4096;
        return [heap.alloc(bytes), bytes] as const;
      });
      for (const [p, b] of blocks) heap.free(p, b);
    }
    // the most one step holds is 40 × 44 × 7 × 4 KiB ≈ 50 MiB; exact-size free lists alone grew past 1 GiB here
    expect(heap.capacity).toBeLessThan(256 * 2 ** 20);
    expect(heap.inUse).toBe(0);
  });

  it('allocZeroed leaves never-used memory unwritten and clears a reused block', () => {
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 4096 });
    const heap = new Heap(mem, 0, 4096);
    const bytes = 1 << 20;
    const a = heap.alloc(bytes);
    new Uint8Array(mem.buffer, a, bytes).fill(7); // dirty, then freed: the next block of this size reuses it
    heap.free(a, bytes);
    const b = heap.allocZeroed(bytes);
    expect(b).toBe(a);
    expect(new Uint8Array(mem.buffer, b, bytes).every((x) => x === 0)).toBe(true);
    // a block above everything handed out so far: read only, never written (its pages stay unmapped)
    const c = heap.allocZeroed(bytes);
    expect(c).toBeGreaterThanOrEqual(a + bytes);
    expect(new Uint8Array(mem.buffer, c, bytes).every((x) => x === 0)).toBe(true);
  });

  it('a tensor of zeros written over a dirty freed block reads as zeros; -0 is kept', async () => {
    await setBackend('wasm');
    const n = 1 << 16;
    const dirty = tensor(new Float32Array(n).fill(3), { shape: [n] });
    dirty.dispose();
    const z = tensor(new Float32Array(n), { shape: [n] });
    expect(z.dataSync().every((x) => x === 0)).toBe(true);
    const negZero = tensor(new Float32Array([-0, 0]), { shape: [2] }).dataSync();
    expect(Object.is(negZero[0], -0)).toBe(true);
    z.dispose();
  });

  it('frees every block a tidy scope created, so a loop does not grow the heap', async () => {
    await setBackend('wasm');
    const w = tensor(floats(64 * 64), { shape: [1, 64, 64] });
    const step = (): void => tidy(() => {
      batchMatMul(w, w).softmax(-1).sum();
    });
    step();
    const before = memory();
    for (let i = 0; i < 20; i++) step();
    expect(memory().numBytes).toBe(before.numBytes);
    expect(memory().bytesByBackend.wasm).toBe(before.bytesByBackend.wasm);
    w.dispose();
  });

  it('grows the memory for a 64 MiB tensor and reads it back intact', async () => {
    await setBackend('wasm');
    const big = new Float32Array(16 * 2 ** 20).map((_, i) => i % 1000);
    const t = tensor(big, { shape: [big.length] });
    const back = t.add(1).dataSync();
    expect(back[999]).toBe(1000);
    expect(back[big.length - 1]).toBe((big.length - 1) % 1000 + 1);
    t.dispose();
  });
});

describe('wasm threads', () => {
  it('gives bit-identical GEMM results on 2 threads as on 1, then stops the workers', async () => {
    await setBackend('wasm');
    expect((await wasmFeatures()).sharedMemory).toBe(true);
    const a = tensor(floats(3 * 130 * 257, 3), { shape: [3, 130, 257] });
    const b = tensor(floats(257 * 67, 4), { shape: [1, 257, 67] });
    const one = batchMatMul(a, b).dataSync();
    const oneT = batchMatMul(a.transpose(1, 2), b.transpose(1, 2), true, true).dataSync();
    const v = tensor(floats(3 * 257 * 16, 5), { shape: [3, 257, 16] }); // 16 columns: A read in place
    const oneV = batchMatMul(a, v).dataSync();
    const oneVT = batchMatMul(a.transpose(1, 2), v, true).dataSync();
    await setThreads(2);
    expect(await getThreads()).toBe(2);
    const two = batchMatMul(a, b).dataSync();
    const twoT = batchMatMul(a.transpose(1, 2), b.transpose(1, 2), true, true).dataSync();
    const twoV = batchMatMul(a, v).dataSync();
    const twoVT = batchMatMul(a.transpose(1, 2), v, true).dataSync();
    await setThreads(1);
    expect(await getThreads()).toBe(1);
    expect(two).toEqual(one);
    expect(twoT).toEqual(oneT);
    expect(twoV).toEqual(oneV);
    expect(twoVT).toEqual(oneVT);
  });

  it('rejects a thread count outside [1, 64]', async () => {
    await expect(setThreads(0)).rejects.toThrow('setThreads: expected an integer in [1, 64], got 0');
  });
});

describe('wasm module builds', () => {
  // [0x02 memory import, limits flag, initial 16 pages, maximum 65536 pages] as AssemblyScript writes them
  const memoryImport = (flag: number) => [0x02, flag, 0x10, 0x80, 0x80, 0x04];
  const at = (bytes: Uint8Array, seq: number[]) => bytes.findIndex((_, i) => seq.every((b, j) => bytes[i + j] === b));

  it('derives each unshared module from its shared build by clearing only the memory limits flag', () => {
    for (const kind of ['plain', 'relaxed'] as const) {
      const shared = moduleBytes(kind, true);
      const unshared = moduleBytes(kind, false);
      const differ = [...shared.keys()].filter((i) => shared[i] !== unshared[i]);
      expect(differ).toHaveLength(1);
      expect(at(shared, memoryImport(0x03))).toBe(differ[0]! - 1);
      expect(at(unshared, memoryImport(0x01))).toBe(differ[0]! - 1);
    }
  });

  it('instantiates the unshared module over an unshared memory and the shared one over a shared memory', () => {
    const unshared = new WebAssembly.Module(moduleBytes('plain', false));
    const shared = new WebAssembly.Module(moduleBytes('plain', true));
    expect(() => new WebAssembly.Instance(unshared, { env: { memory: new WebAssembly.Memory({ initial: 16, maximum: 65536 }) } })).not.toThrow();
    expect(() => new WebAssembly.Instance(shared, { env: { memory: new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true }) } })).not.toThrow();
    // each refuses the other's memory: the flag is what tells them apart
    expect(() => new WebAssembly.Instance(unshared, { env: { memory: new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true }) } })).toThrow();
  });
});
