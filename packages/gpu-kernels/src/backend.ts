// One gpu.js `GPU` instance behind tensor-core's Backend interface: uploads, readback, disposal,
// a compiled-kernel cache and the count of live device textures/buffers.
import { BackendError } from '@qkv/tensor-core';
import type { Backend, DType, TypedArray } from '@qkv/tensor-core';
import { GPU } from 'gpu.js';
import type { IKernelRunShortcut } from 'gpu.js';
import { GpuHandle, isDeviceObject } from './handle.js';
import type { DeviceData } from './handle.js';
import { MAX_EXACT_INDEX } from './modes.js';
import type { GpuMode } from './modes.js';
import { kernelSource } from './program.js';
import type { Program } from './program.js';

/** Live objects of one backend, for leak tests. */
export interface GpuMemoryInfo {
  /** Tensor storages alive (handles not yet freed). */
  handles: number;
  /** Device textures/buffers handed out by kernels and not yet deleted. */
  deviceObjects: number;
  /** Compiled kernels in the cache (each keeps one output texture/buffer of its own). */
  kernels: number;
}

/**
 * A tensor-core backend running every kernel through one gpu.js instance. Handles are flat
 * float32 cells (see `GpuHandle`); `maxCells` bounds every input and output.
 * @example
 * registerBackend('webgl', () => new GpuBackend('webgl', 'webgl2', 16384), 3);
 * (backendInstance('webgl') as GpuBackend).memory(); // { handles, deviceObjects, kernels }
 */
export class GpuBackend implements Backend {
  readonly asyncOnly: boolean;
  private readonly gpu: GPU;
  private readonly kernels = new Map<string, IKernelRunShortcut>();
  private liveHandles = 0;
  private liveDevice = 0;
  /** Largest number of cells one output may have (texture area, float-exact indices). */
  readonly maxCells: number;

  constructor(
    readonly name: string,
    readonly mode: GpuMode,
    maxTextureSize = Infinity,
  ) {
    this.asyncOnly = mode === 'webgpu';
    this.gpu = new GPU({ mode });
    this.maxCells = Math.min(MAX_EXACT_INDEX, maxTextureSize * maxTextureSize);
  }

  write(values: TypedArray): GpuHandle {
    const data = values instanceof Float32Array ? values.slice() : Float32Array.from(values);
    return this.track(new GpuHandle(data.length, data, (d) => this.free(d)));
  }

  async read(handle: unknown, dtype: DType, size: number): Promise<TypedArray> {
    const h = handle as GpuHandle;
    h.retain();
    try {
      const d = await h.get();
      return toDType(isDeviceObject(d) ? await (d.toArray() as Promise<Float32Array> | Float32Array) : d, dtype, size);
    } finally {
      h.release();
    }
  }

  readSync(handle: unknown, dtype: DType, size: number): TypedArray {
    if (this.asyncOnly) {
      throw new BackendError(`${this.name}: dataSync()/readSync cannot read a WebGPU buffer synchronously; use await tensor.data()`);
    }
    const d = (handle as GpuHandle).get() as DeviceData;
    return toDType(isDeviceObject(d) ? (d.toArray() as Float32Array) : d, dtype, size);
  }

  disposeData(handle: unknown): void {
    this.liveHandles--;
    (handle as GpuHandle).release();
  }

  /** Destroys every compiled kernel and the gpu.js instance. */
  dispose(): void {
    this.kernels.clear();
    void this.gpu.destroy();
  }

  /** Live handles, device objects and kernels (see {@link GpuMemoryInfo}). */
  memory(): GpuMemoryInfo {
    return { handles: this.liveHandles, deviceObjects: this.liveDevice, kernels: this.kernels.size };
  }

  /**
   * Runs program `p` over `inputs` and returns a new handle of `p.size` cells. On WebGPU (or when
   * an input is still pending) the call is chained and the handle is pending until it is issued.
   */
  run(p: Program, inputs: readonly GpuHandle[]): GpuHandle {
    if (p.size > this.maxCells) {
      throw new BackendError(
        `${p.op}: output of ${p.size} elements exceeds ${this.name}'s limit of ${this.maxCells} per tensor ` +
          `(float32 indices are exact to 2^24; texture side ${Math.sqrt(this.maxCells)}); split the tensor or use the cpu/wasm backend`,
      );
    }
    for (const h of inputs) {
      if (h.size > this.maxCells) throw new BackendError(`${p.op}: an input of ${h.size} elements exceeds ${this.name}'s limit of ${this.maxCells}`);
    }
    const ready = inputs.map((h) => h.value);
    if (!this.asyncOnly && ready.every((d) => d !== undefined)) {
      const out = this.call(p, ready, inputs.map((h) => h.size));
      return this.track(new GpuHandle(p.size, this.adopt(out as DeviceData), (d) => this.free(d)));
    }
    for (const h of inputs) h.retain();
    const issued = Promise.all(inputs.map(async (h) => h.get())).then(async (values) => {
      try {
        return this.adopt(await (this.call(p, values, inputs.map((h) => h.size)) as Promise<DeviceData> | DeviceData));
      } finally {
        for (const h of inputs) h.release();
      }
    });
    return this.track(new GpuHandle(p.size, issued, (d) => this.free(d)));
  }

  private call(p: Program, values: readonly DeviceData[], sizes: readonly number[]): unknown {
    const source = kernelSource(p);
    // gpu.js fixes argument types and sizes at the first call: one compiled kernel per signature
    const kinds = values.map((v) => (isDeviceObject(v) ? 'T' : 'A')).join('');
    const key = `${kinds}|${p.size}|${sizes.join(',')}|${source}`;
    let kernel = this.kernels.get(key);
    if (!kernel) {
      kernel = this.gpu.createKernel(source, { output: [p.size], pipeline: true, immutable: true, precision: 'single', tactic: 'precision' });
      this.kernels.set(key, kernel);
    }
    try {
      return kernel(...(values as unknown as Float32Array[]));
    } catch (err) {
      throw new BackendError(`${p.op}: gpu.js (${this.mode}) failed: ${(err as Error).message}\n${source}`);
    }
  }

  private adopt(d: DeviceData): DeviceData {
    if (isDeviceObject(d)) this.liveDevice++;
    return d;
  }

  private free(d: DeviceData): void {
    if (!isDeviceObject(d)) return;
    this.liveDevice--;
    d.delete();
  }

  private track(h: GpuHandle): GpuHandle {
    this.liveHandles++;
    return h;
  }
}

/** Converts the float32 cells read back into `dtype`'s array (ints are exact to 2²⁴). */
function toDType(values: Float32Array, dtype: DType, size: number): TypedArray {
  const v = values.length === size ? values : values.subarray(0, size);
  if (dtype === 'float32') return v.slice();
  if (dtype === 'int32') return Int32Array.from(v, Math.round);
  return Uint8Array.from(v, (x) => (x !== 0 ? 1 : 0));
}
