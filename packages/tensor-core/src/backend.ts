// The contract between tensor-core and a backend: storage handles plus kernels looked up by name.
import type { DType, TypedArray } from './dtype.js';
import type { KernelName } from './kernel-names.js';

/**
 * A compute backend. It owns the memory of the tensors that live on it; tensor-core only holds
 * opaque handles. `cpu` handles are the typed arrays themselves.
 */
export interface Backend {
  /** Registry name, e.g. `'cpu'`, `'wasm'`, `'webgl'`. */
  readonly name: string;
  /** True when results can only be read asynchronously (WebGPU): `dataSync()` then throws. */
  readonly asyncOnly?: boolean;
  /** Copies `values` into backend memory and returns its handle. */
  write(values: TypedArray, dtype: DType): unknown;
  /** Reads a handle back as a new typed array of `size` elements. */
  read(handle: unknown, dtype: DType, size: number): Promise<TypedArray>;
  /** Synchronous read; async-only backends throw `BackendError`. */
  readSync(handle: unknown, dtype: DType, size: number): TypedArray;
  /** Frees the memory behind a handle. Called once, when no tensor uses the handle any more. */
  disposeData(handle: unknown): void;
  /** Frees everything (backend switch in tests); optional. */
  dispose?(): void;
}

/** Storage shared by a tensor and its views (reshape shares, never copies). */
export class Storage {
  refCount = 1;
  constructor(
    readonly backend: Backend,
    readonly handle: unknown,
    readonly dtype: DType,
    readonly size: number,
    readonly bytes: number,
  ) {}
}

/** What a kernel sees of one input. */
export interface TensorInfo {
  readonly storage: Storage;
  readonly handle: unknown;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** What a kernel returns: a fresh handle, or an existing storage for a view. */
export type KernelOutput =
  | { readonly handle: unknown; readonly shape: number[]; readonly dtype: DType }
  | { readonly storage: Storage; readonly shape: number[]; readonly dtype: DType };

/** Kernel attributes: plain data only, so every backend can read them. */
export type Attrs = Readonly<Record<string, number | boolean | string | readonly number[] | null | undefined>>;

/** A kernel implementation for one backend. */
export type KernelFunc = (args: { inputs: readonly TensorInfo[]; attrs: Attrs; backend: Backend }) => KernelOutput;

/** One registry entry: `registerKernel({ kernelName: 'MatMul', backendName: 'wasm', kernelFunc })`. */
export interface KernelConfig {
  kernelName: KernelName;
  backendName: string;
  kernelFunc: KernelFunc;
}

/** Creates (or fails to create) a backend; may be async (WebAssembly compile, GPU adapter). */
export type BackendFactory = () => Backend | Promise<Backend>;
