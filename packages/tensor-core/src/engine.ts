// The engine: backend and kernel registries, dispatch with cpu fallback, tidy scopes, memory
// accounting, and the hook through which autograd records kernel calls. It lives on globalThis
// so two copies of the package share it. It imports no op and no autograd code: the tape installs
// its recorder here (`setRecordHook`), so the import graph has no loop.
import { Storage } from './backend.js';
import type { Backend, BackendFactory, KernelConfig, KernelFunc, KernelOutput, TensorInfo } from './backend.js';
import { bytesPerElement } from './dtype.js';
import type { DType, TypedArray } from './dtype.js';
import { BackendError, KernelNotFoundError, ValueError } from './errors.js';
import { checkAttrs, isKernelName } from './kernel-attrs.js';
import type { AttrsArg, KernelAttrs } from './kernel-attrs.js';
import type { KernelName } from './kernel-names.js';
import { sizeOf } from './shape.js';
import { Tensor, setTensorTracker } from './tensor.js';

interface BackendEntry {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
  initError?: unknown;
}

interface EngineState {
  backends: Map<string, BackendEntry>;
  kernels: Map<string, KernelFunc<never>>;
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

/**
 * Registers one kernel for one backend. Registering a kernel the backend already has is an error
 * unless `replace: true` says that replacing it is meant (a test stubbing a kernel, a second copy
 * of a backend package). `Reshape` is the engine's own view kernel on every backend.
 * @example registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: wasmBatchMatMul })
 */
export function registerKernel<K extends KernelName>(config: KernelConfig<K>): void {
  const { kernelName, backendName, kernelFunc, replace = false } = config;
  if (!isKernelName(kernelName)) throw new ValueError(`registerKernel: unknown kernel name '${String(kernelName)}' (see allKernelNames)`);
  if (kernelName === 'Reshape') throw new ValueError("registerKernel: 'Reshape' is the engine's own view kernel and cannot be registered");
  if (typeof backendName !== 'string' || backendName === '') throw new ValueError(`registerKernel: backendName must be a non-empty string, got ${String(backendName)}`);
  if (typeof kernelFunc !== 'function') throw new ValueError(`registerKernel: kernelFunc of ${kernelName} must be a function, got ${typeof kernelFunc}`);
  const key = `${backendName}/${kernelName}`;
  if (ENGINE.kernels.has(key) && !replace) {
    throw new BackendError(`registerKernel: ${kernelName} is already registered for backend '${backendName}'; pass { replace: true } to replace it`);
  }
  ENGINE.kernels.set(key, kernelFunc);
}

/** The kernel for `kernelName` on `backendName`, if any. */
export function getKernel<K extends KernelName>(kernelName: K, backendName: string): KernelFunc<K> | undefined {
  // the map is keyed by `${backend}/${name}` and registerKernel stored a KernelFunc<K> there
  return ENGINE.kernels.get(`${backendName}/${kernelName}`) as KernelFunc<K> | undefined;
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
  if (!cpu) throw new BackendError('activeBackend: the cpu backend is not registered');
  const inst = cpu.factory();
  if (inst instanceof Promise) throw new BackendError('activeBackend: cpu factory must be synchronous');
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

// Tensor reaches the engine through this tracker, so tensor.ts imports no engine code.
setTensorTracker({ releaseStorage, onTensorDisposed });

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

/**
 * Runs `fn` with operations recorded for autograd even inside `noGrad` (PyTorch's
 * `torch.enable_grad()`); `checkpoint` uses it to recompute its function during `backward()`.
 * @example noGrad(() => enableGrad(() => x.mul(w))) // recorded
 */
export function enableGrad<T>(fn: () => T): T {
  const prev = ENGINE.gradEnabled;
  ENGINE.gradEnabled = true;
  try {
    return fn();
  } finally {
    ENGINE.gradEnabled = prev;
  }
}

// ---------------------------------------------------------------- dispatch

/**
 * Autograd's recorder: called after a kernel ran on inputs of which some require grad. The tape
 * installs it (`setRecordHook(recordNode)` in wire.ts), so the engine imports no autograd code.
 */
export type RecordHook = <K extends KernelName>(kernelName: K, inputs: readonly Tensor[], attrs: KernelAttrs[K], output: Tensor) => void;

let recordHook: RecordHook | null = null;

/** Installs autograd's recorder (once, from wire.ts). */
export function setRecordHook(hook: RecordHook): void {
  recordHook = hook;
}

/** Reshape is a view on every backend: the output shares the input's storage. */
const reshapeView: KernelFunc<'Reshape'> = ({ inputs: [x], attrs }) => ({ storage: x!.storage, shape: [...attrs.shape], dtype: x!.dtype });

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
 * lacks it) and records the call for autograd. Ops call this after validating their inputs; the
 * attributes are typed per kernel (`KernelAttrs[name]`) and checked against its schema.
 * @example runKernel('BatchMatMul', [a, b], { transposeA: false, transposeB: true })
 */
export function runKernel<K extends KernelName>(name: K, inputs: readonly Tensor[], ...[attrsArg]: AttrsArg<K>): Tensor {
  const attrs = (attrsArg ?? {}) as KernelAttrs[K]; // AttrsArg makes attrs optional only where {} fits
  checkAttrs(name, attrs);
  for (const t of inputs) t.assertAlive(name);
  let backend = activeBackend();
  let kernel = name === 'Reshape' ? (reshapeView as KernelFunc<K>) : getKernel(name, backend.name);
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

function execute<K extends KernelName>(kernel: KernelFunc<K>, backend: Backend, inputs: readonly Tensor[], attrs: KernelAttrs[K]): Tensor {
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

function finish<K extends KernelName>(name: K, inputs: readonly Tensor[], attrs: KernelAttrs[K], out: Tensor): Tensor {
  if (!ENGINE.gradEnabled || !inputs.some((t) => t.requiresGrad)) return out;
  if (!recordHook) throw new BackendError(`${name}: autograd is not installed; import '@qkv/tensor-core' (not its internal modules)`);
  recordHook(name, inputs, attrs, out);
  return out;
}
