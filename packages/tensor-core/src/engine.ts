// The engine: backend and kernel registries, dispatch with cpu fallback, tidy scopes, memory
// accounting and the autograd tape. It lives on globalThis so two copies of the package share it.
import { Storage } from './backend.js';
import type { Attrs, Backend, BackendFactory, KernelConfig, KernelFunc, KernelOutput, TensorInfo } from './backend.js';
import { bytesPerElement } from './dtype.js';
import type { DType, TypedArray } from './dtype.js';
import { BackendError, KernelNotFoundError } from './errors.js';
import type { KernelName } from './kernel-names.js';
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';
import { recordNode } from './autograd/tape.js';

interface BackendEntry {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
  initError?: unknown;
}

interface EngineState {
  backends: Map<string, BackendEntry>;
  kernels: Map<string, KernelFunc>;
  active: Backend | null;
  scopes: Set<Tensor>[];
  liveTensors: number;
  liveStorages: Set<Storage>;
  gradEnabled: boolean;
  warned: Set<string>;
  nextTensorId: number;
}

const KEY = Symbol.for('@qkv/tensor-core/engine');
const g = globalThis as unknown as Record<symbol, EngineState | undefined>;
/** The one engine of this JavaScript realm. */
export const ENGINE: EngineState = (g[KEY] ??= {
  backends: new Map(),
  kernels: new Map(),
  active: null,
  scopes: [],
  liveTensors: 0,
  liveStorages: new Set(),
  gradEnabled: true,
  warned: new Set(),
  nextTensorId: 0,
});

// ---------------------------------------------------------------- registries

/**
 * Registers a backend factory. The highest-priority backend that initialises becomes the default.
 * @example registerBackend('wasm', async () => createWasmBackend(), 2)
 */
export function registerBackend(name: string, factory: BackendFactory, priority = 1): void {
  ENGINE.backends.set(name, { factory, priority });
}

/** Registers one kernel for one backend, replacing any earlier registration. */
export function registerKernel(config: KernelConfig): void {
  ENGINE.kernels.set(`${config.backendName}/${config.kernelName}`, config.kernelFunc);
}

/** The kernel for `kernelName` on `backendName`, if any. */
export function getKernel(kernelName: KernelName, backendName: string): KernelFunc | undefined {
  return ENGINE.kernels.get(`${backendName}/${kernelName}`);
}

/** Names of the registered backends, highest priority first. */
export function listBackends(): string[] {
  return [...ENGINE.backends.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}

async function initBackend(name: string): Promise<Backend> {
  const entry = ENGINE.backends.get(name);
  if (!entry) throw new BackendError(`setBackend: unknown backend '${name}', registered: ${listBackends().join(', ')}`);
  entry.instance ??= await entry.factory();
  return entry.instance;
}

/** Returns (initialising on first use) the backend instance named `name`. */
export async function findBackendAsync(name: string): Promise<Backend> {
  return initBackend(name);
}

/**
 * Makes `name` the active backend (initialising it if needed). New tensors live there; tensors on
 * other backends are moved on first use.
 * @example await setBackend('wasm')
 */
export async function setBackend(name: string): Promise<void> {
  ENGINE.active = await initBackend(name);
}

/**
 * Initialises the highest-priority backend that works and makes it active (call once at start-up
 * when an async backend such as `wasm` is registered). Returns its name.
 */
export async function ready(): Promise<string> {
  if (ENGINE.active) return ENGINE.active.name;
  for (const name of listBackends()) {
    try {
      await setBackend(name);
      return name;
    } catch (err) {
      const entry = ENGINE.backends.get(name)!;
      entry.initError = err;
    }
  }
  throw new BackendError('ready: no backend could be initialised');
}

/** The active backend instance. Before `ready()`/`setBackend`, the synchronous `cpu` backend. */
export function activeBackend(): Backend {
  if (ENGINE.active) return ENGINE.active;
  const cpu = ENGINE.backends.get('cpu');
  if (!cpu) throw new BackendError('getBackend: the cpu backend is not registered');
  const inst = cpu.factory();
  if (inst instanceof Promise) throw new BackendError('getBackend: cpu factory must be synchronous');
  cpu.instance ??= inst;
  ENGINE.active = cpu.instance;
  return ENGINE.active;
}

/** Name of the active backend. */
export function getBackend(): string {
  return activeBackend().name;
}

/** An initialised backend by name (for fallbacks and tests); throws if it was never initialised. */
export function backendInstance(name: string): Backend {
  if (name === 'cpu') {
    const cpu = ENGINE.backends.get('cpu');
    if (cpu && !cpu.instance) {
      const inst = cpu.factory();
      if (!(inst instanceof Promise)) cpu.instance = inst;
    }
  }
  const inst = ENGINE.backends.get(name)?.instance;
  if (!inst) throw new BackendError(`backend '${name}' is not initialised; await setBackend('${name}') first`);
  return inst;
}

// ---------------------------------------------------------------- tensors and memory

/** Wraps new storage of `values` on the active backend (or `backend`) as a tracked tensor. */
export function makeTensor(values: TypedArray, shape: number[], dtype: DType, backend: Backend = activeBackend()): Tensor {
  const storage = newStorage(backend, backend.write(values, dtype), dtype, sizeOf(shape));
  return trackTensor(new Tensor(ENGINE.nextTensorId++, storage, shape, dtype));
}

function newStorage(backend: Backend, handle: unknown, dtype: DType, size: number): Storage {
  const storage = new Storage(backend, handle, dtype, size, size * bytesPerElement[dtype]);
  ENGINE.liveStorages.add(storage);
  return storage;
}

function trackTensor(t: Tensor): Tensor {
  ENGINE.liveTensors++;
  ENGINE.scopes[ENGINE.scopes.length - 1]?.add(t);
  return t;
}

/** Releases one reference to a storage, freeing backend memory at zero. */
export function releaseStorage(storage: Storage): void {
  if (--storage.refCount > 0) return;
  ENGINE.liveStorages.delete(storage);
  storage.backend.disposeData(storage.handle);
}

/** Called by `Tensor.dispose()`. */
export function onTensorDisposed(t: Tensor): void {
  ENGINE.liveTensors--;
  for (const scope of ENGINE.scopes) scope.delete(t);
}

/** Live tensors and backend memory, so tests can prove that a loop does not leak. */
export interface MemoryInfo {
  /** Tensors created and not yet disposed. */
  numTensors: number;
  /** Distinct storages (views share one). */
  numDataBuffers: number;
  /** Bytes held by those storages. */
  numBytes: number;
  /** Bytes per backend name. */
  bytesByBackend: Record<string, number>;
}

/**
 * Counts live tensors and bytes.
 * @example const before = memory().numTensors; tidy(() => step()); expect(memory().numTensors).toBe(before)
 */
export function memory(): MemoryInfo {
  const bytesByBackend: Record<string, number> = {};
  let numBytes = 0;
  for (const s of ENGINE.liveStorages) {
    numBytes += s.bytes;
    bytesByBackend[s.backend.name] = (bytesByBackend[s.backend.name] ?? 0) + s.bytes;
  }
  return { numTensors: ENGINE.liveTensors, numDataBuffers: ENGINE.liveStorages.size, numBytes, bytesByBackend };
}

/** Anything `tidy` can return: tensors are kept, everything else passes through. */
export type TensorContainer = Tensor | readonly TensorContainer[] | { readonly [k: string]: TensorContainer } | number | string | boolean | null | undefined | void;

function collectTensors(value: unknown, out: Set<Tensor>): void {
  if (value instanceof Tensor) out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out);
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out);
  }
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (and those passed to
 * `keep`). Returned tensors move to the enclosing scope. `fn` must be synchronous.
 * @example const loss = tidy(() => model.forward(x).sub(y).pow(2).mean());
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  ENGINE.scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) throw new BackendError('tidy: the function must be synchronous, it returned a Promise');
  } finally {
    ENGINE.scopes.pop();
  }
  const keepSet = new Set<Tensor>();
  collectTensors(result, keepSet);
  for (const t of scope) if (!keepSet.has(t)) t.dispose();
  // only tensors this scope created move up: a returned tensor that the caller owns stays theirs
  const parent = ENGINE.scopes[ENGINE.scopes.length - 1];
  if (parent) for (const t of keepSet) if (scope.has(t) && !t.isDisposed) parent.add(t);
  return result;
}

/** Removes `t` from every tidy scope, so it outlives them (parameters, optimizer state). */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of ENGINE.scopes) scope.delete(t);
  return t;
}

// ---------------------------------------------------------------- gradient mode

/** True while operations are recorded for autograd. */
export function isGradEnabled(): boolean {
  return ENGINE.gradEnabled;
}

/**
 * Runs `fn` without recording operations for autograd (PyTorch's `torch.no_grad()`).
 * @example noGrad(() => p.assign(p.sub(p.grad!.mul(lr))))
 */
export function noGrad<T>(fn: () => T): T {
  const prev = ENGINE.gradEnabled;
  ENGINE.gradEnabled = false;
  try {
    return fn();
  } finally {
    ENGINE.gradEnabled = prev;
  }
}

// ---------------------------------------------------------------- dispatch

/** Reshape is a view on every backend: the output shares the input's storage. */
const reshapeView: KernelFunc = ({ inputs: [x], attrs }) => ({ storage: x!.storage, shape: [...(attrs.shape as number[])], dtype: x!.dtype });

function warnOnce(key: string, message: string): void {
  if (ENGINE.warned.has(key)) return;
  ENGINE.warned.add(key);
  console.warn(message);
}

function toInfo(t: Tensor): TensorInfo {
  return { storage: t.storage, handle: t.storage.handle, shape: t.shape, dtype: t.dtype };
}

/** Copies a tensor's storage onto `backend` (synchronously), returning a new untracked info. */
function moveInfo(t: Tensor, backend: Backend): TensorInfo {
  const from = t.storage.backend;
  if (from.asyncOnly) {
    throw new BackendError(`${backend.name}: cannot move a tensor synchronously from async-only backend '${from.name}'; await t.data() first`);
  }
  const values = from.readSync(t.storage.handle, t.dtype, t.size);
  const storage = newStorage(backend, backend.write(values, t.dtype), t.dtype, t.size);
  return { storage, handle: storage.handle, shape: t.shape, dtype: t.dtype };
}

/**
 * Runs kernel `name` on the active backend (falling back to `cpu` with one warning when the backend
 * lacks it) and records the call for autograd. Ops call this after validating their inputs.
 */
export function runKernel(name: KernelName, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
  for (const t of inputs) t.assertAlive(name);
  let backend = activeBackend();
  let kernel = name === 'Reshape' ? reshapeView : getKernel(name, backend.name);
  if (!kernel) {
    const cpuKernel = getKernel(name, 'cpu');
    if (!cpuKernel) throw new KernelNotFoundError(`${name}: no kernel registered for backend '${backend.name}' or 'cpu'`);
    warnOnce(`${backend.name}/${name}`, `qkv: kernel ${name} is not implemented on '${backend.name}'; falling back to 'cpu'`);
    const target = backend;
    backend = backendInstance('cpu');
    kernel = cpuKernel;
    const out = execute(kernel, backend, inputs, attrs);
    if (target === backend) return finish(name, inputs, attrs, out);
    const moved = moveTensor(out, target);
    return finish(name, inputs, attrs, moved);
  }
  return finish(name, inputs, attrs, execute(kernel, backend, inputs, attrs));
}

function execute(kernel: KernelFunc, backend: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const temps: Storage[] = [];
  const infos = inputs.map((t) => {
    if (t.storage.backend === backend) return toInfo(t);
    const info = moveInfo(t, backend);
    temps.push(info.storage);
    return info;
  });
  let out: KernelOutput;
  try {
    out = kernel({ inputs: infos, attrs, backend });
  } finally {
    for (const s of temps) releaseStorage(s);
  }
  let storage: Storage;
  if ('storage' in out) {
    storage = out.storage;
    storage.refCount++;
  } else {
    storage = newStorage(backend, out.handle, out.dtype, sizeOf(out.shape));
  }
  return trackTensor(new Tensor(ENGINE.nextTensorId++, storage, out.shape, out.dtype));
}

function moveTensor(t: Tensor, backend: Backend): Tensor {
  const info = moveInfo(t, backend);
  const moved = trackTensor(new Tensor(ENGINE.nextTensorId++, info.storage, [...t.shape], t.dtype));
  t.dispose();
  return moved;
}

function finish(name: KernelName, inputs: readonly Tensor[], attrs: Attrs, out: Tensor): Tensor {
  if (ENGINE.gradEnabled && inputs.some((t) => t.requiresGrad)) recordNode(name, inputs, attrs, out);
  return out;
}
