// Picks the module build this engine can run: relaxed SIMD when it validates, shared memory when
// threads are possible. Node 20 hides relaxed SIMD behind a V8 flag that we set before compiling.
import { plainShared, plainSharedFlagOffset, relaxedShared, relaxedSharedFlagOffset } from '../generated/binaries.js';

/** Which build was chosen and why. */
export interface ModuleChoice {
  bytes: Uint8Array<ArrayBuffer>;
  /** f32x4.relaxed_madd in the GEMM (fused multiply-add where the CPU has it). */
  relaxed: boolean;
  /** Memory is a shared WebAssembly.Memory, so worker threads can run kernels on it. */
  shared: boolean;
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The module bytes with shared or unshared memory. Only the shared builds are inlined: the unshared
 * build differs from it in one byte, the imported memory's limits flag (0x03 → 0x01), as
 * scripts/build-wasm.mjs checks when it generates them.
 */
export function moduleBytes(kind: 'plain' | 'relaxed', shared: boolean): Uint8Array<ArrayBuffer> {
  const [b64, flagOffset] = kind === 'plain' ? [plainShared, plainSharedFlagOffset] : [relaxedShared, relaxedSharedFlagOffset];
  const bytes = decode(b64);
  if (bytes[flagOffset] !== 0x03) throw new Error(`wasm: expected the shared memory flag 0x03 at byte ${flagOffset} of the ${kind} module, got ${bytes[flagOffset]}; rebuild with pnpm build:wasm`);
  if (!shared) bytes[flagOffset] = 0x01;
  return bytes;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function envFlag(name: string): string | undefined {
  return isNode() ? process.env[name] : undefined;
}

/** Turns on relaxed SIMD in Node versions that still flag it (it must precede compilation). */
async function enableRelaxedInNode(): Promise<void> {
  if (!isNode()) return;
  try {
    // getBuiltinModule, not import(): browser bundlers must not see a Node built-in in the published build
    process.getBuiltinModule('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // not Node after all, or flags locked: the plain build is used
  }
}

/** True when a shared memory can be created and handed to workers. */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  if (!isNode() && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** What to ask of the module; each defaults to "when available". */
export interface ModuleOptions {
  /** Use the relaxed-SIMD build if the engine validates it (default true; `QKV_WASM_RELAXED=0` in Node says false). */
  relaxed?: boolean;
  /** Use shared memory if possible (default true; `QKV_WASM_SHARED=0` in Node says false). */
  shared?: boolean;
}

/** Chooses the module build: the best one the engine supports, within `options`. */
export async function chooseModule(options: ModuleOptions = {}): Promise<ModuleChoice> {
  const shared = (options.shared ?? envFlag('QKV_WASM_SHARED') !== '0') && sharedMemoryAvailable();
  if (options.relaxed ?? envFlag('QKV_WASM_RELAXED') !== '0') {
    await enableRelaxedInNode();
    const candidate = moduleBytes('relaxed', shared);
    if (WebAssembly.validate(candidate)) return { bytes: candidate, relaxed: true, shared };
  }
  const bytes = moduleBytes('plain', shared);
  if (!WebAssembly.validate(bytes)) throw new Error('wasm: this engine lacks WebAssembly SIMD (f32x4); use the cpu backend');
  return { bytes, relaxed: false, shared };
}
