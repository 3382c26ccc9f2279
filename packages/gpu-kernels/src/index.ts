/**
 * @qkv/gpu-kernels — GPU backends for @qkv/tensor-core over gpu.js: `webgpu` and `webgl` in
 * browsers, `headlessgl` in Node where the `gl` package builds, and gpu.js `webasm` on request.
 * Importing the package registers the backends that fit the environment.
 */
import './register.js';

export { GpuBackend } from './backend.js';
export type { GpuMemoryInfo } from './backend.js';
export { registerGpuBackend, registerGpuBackends, registerWebAsmBackend } from './register.js';
export type { GpuBackendName } from './register.js';
export { isModeSupported, MAX_EXACT_INDEX } from './modes.js';
export type { GpuMode } from './modes.js';
export { gpuKernels } from './kernels/index.js';
