// The `wasm` backend object: tensors are blocks of one WebAssembly.Memory, kernels are the
// module's exports, and an optional thread pool shares the memory.
import type { Backend, DType, TensorInfo, TypedArray } from '@qkv/tensor-core';
import { chooseModule } from './runtime/binaries.js';
import type { ModuleChoice, ModuleOptions } from './runtime/binaries.js';
import { INITIAL_PAGES, MAX_PAGES } from './runtime/exports.js';
import type { KernelExports } from './runtime/exports.js';
import { Heap } from './runtime/heap.js';
import { PackCache } from './runtime/pack-cache.js';
import { ThreadPool } from './runtime/threads.js';

/** A tensor's storage on `wasm`: a block of the heap. `bytes` is the requested length. */
export interface WasmHandle {
  readonly ptr: number;
  readonly bytes: number;
}

const views = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** True when every byte of `values` is 0 (stops at the first that is not, so random data costs nothing). */
function allZero(values: TypedArray): boolean {
  const words = values.byteOffset % 4 === 0 && values.byteLength % 4 === 0
    ? new Uint32Array(values.buffer, values.byteOffset, values.byteLength / 4)
    : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}

/** The backend instance; kernels receive it as `backend` and reach the heap and exports through it. */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  /** Worker threads (null: one thread). Set through `setThreads`. */
  pool: ThreadPool | null = null;
  /** Packed GEMM panels of B operands used more than once (weights), freed with their storage. */
  readonly packCache: PackCache;

  constructor(
    readonly heap: Heap,
    readonly exports: KernelExports,
    readonly choice: ModuleChoice,
  ) {
    this.packCache = new PackCache(heap);
  }

  /** Allocates an uninitialised block of `bytes` bytes. */
  alloc(bytes: number): WasmHandle {
    return { ptr: this.heap.alloc(bytes), bytes };
  }

  /** A typed view of `size` elements at a handle (valid until the next allocation may grow memory). */
  view(handle: WasmHandle, dtype: DType, size: number): TypedArray {
    return new views[dtype](this.heap.memory.buffer, handle.ptr, size);
  }

  /** The handle behind a kernel input. */
  handleOf(info: TensorInfo): WasmHandle {
    return info.handle as WasmHandle;
  }

  write(values: TypedArray, _dtype: DType): WasmHandle {
    // all zeros (a placeholder parameter, `zeros()`): fresh heap memory is zero already, leave it untouched
    if (allZero(values)) return { ptr: this.heap.allocZeroed(values.byteLength), bytes: values.byteLength };
    const h = this.alloc(values.byteLength);
    new Uint8Array(this.heap.memory.buffer, h.ptr, values.byteLength).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return h;
  }

  readSync(handle: unknown, dtype: DType, size: number): TypedArray {
    return this.view(handle as WasmHandle, dtype, size).slice();
  }

  async read(handle: unknown, dtype: DType, size: number): Promise<TypedArray> {
    return this.readSync(handle, dtype, size);
  }

  disposeData(handle: unknown): void {
    const h = handle as WasmHandle;
    this.packCache.release(h);
    this.heap.free(h.ptr, h.bytes);
  }

  dispose(): void {
    this.pool?.terminate();
    this.pool = null;
  }
}

/**
 * Compiles and instantiates the kernel module (relaxed SIMD and shared memory where available) and,
 * in Node, starts `QKV_WASM_THREADS` − 1 workers. The factory `registerBackend('wasm', …)` uses;
 * call it directly only for a private instance (benchmarks comparing builds).
 * @param options force the plain build (`relaxed: false`) or unshared memory (`shared: false`)
 * @example const plain = await createWasmBackend({ relaxed: false }); plain.choice.relaxed // false
 */
export async function createWasmBackend(options: ModuleOptions = {}): Promise<WasmBackend> {
  const choice = await chooseModule(options);
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: choice.shared });
  const module = await WebAssembly.compile(choice.bytes);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  const backend = new WasmBackend(new Heap(memory, exports.heapBase(), MAX_PAGES), exports, choice);
  const threads = typeof process !== 'undefined' ? Number(process.env?.QKV_WASM_THREADS ?? 1) : 1;
  if (choice.shared && Number.isInteger(threads) && threads > 1) backend.pool = await ThreadPool.create(threads - 1, choice.bytes, memory);
  return backend;
}
