// The contract between tensor-core and a backend: storage handles plus kernels looked up by name.
import type { DType, TypedArray } from './dtype.js';
import type { KernelAttrs } from './kernel-attrs.js';
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

/**
 * Kernel attributes, loosely: plain data of some kernel. Kernels and gradients see their own
 * interface instead (`KernelAttrs[K]`, e.g. `BatchMatMulAttrs`).
 */
export type Attrs = KernelAttrs[KernelName];

/** What kernel `K` is called with: its inputs, its typed attributes, the backend running it. */
export interface KernelArgs<K extends KernelName> {
  readonly inputs: readonly TensorInfo[];
  readonly attrs: KernelAttrs[K];
  readonly backend: Backend;
}

/**
 * A kernel implementation for one backend; `K` types its attributes.
 * @example const sum: KernelFunc<'Sum'> = ({ inputs: [x], attrs: { dims, keepdim } }) => …
 */
export type KernelFunc<K extends KernelName = KernelName> = (args: KernelArgs<K>) => KernelOutput;

/** A kernel per name, each with its own attribute type (a backend's table; missing names fall back). */
export type KernelTable = { readonly [K in KernelName]?: KernelFunc<K> };

/**
 * One registry entry: `registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc })`.
 * `replace: true` replaces an earlier registration for the same backend (otherwise an error).
 */
export interface KernelConfig<K extends KernelName = KernelName> {
  kernelName: K;
  backendName: string;
  kernelFunc: KernelFunc<K>;
  replace?: boolean;
}

/** Creates (or fails to create) a backend; may be async (WebAssembly compile, GPU adapter). */
export type BackendFactory = () => Backend | Promise<Backend>;
