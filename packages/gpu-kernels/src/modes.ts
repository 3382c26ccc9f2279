// Which gpu.js modes exist here, and the names our backends register under.
import { GPU } from 'gpu.js';

/** The gpu.js modes this package drives. */
export type GpuMode = 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm';

/** Largest flat size a GL/WGSL index can address exactly: float32 holds integers to 2²⁴. */
export const MAX_EXACT_INDEX = 2 ** 24;

/**
 * True where gpu.js reports `mode` usable in this JavaScript environment (synchronous check; for
 * WebGPU it only proves `navigator.gpu` exists, the backend factory then asks for an adapter).
 * @example isModeSupported('webasm') // true in Node 20
 */
export function isModeSupported(mode: GpuMode): boolean {
  switch (mode) {
    case 'webgpu':
      return GPU.isWebGPUSupported;
    case 'webgl2':
      return GPU.isWebGL2Supported;
    case 'webgl':
      return GPU.isWebGLSupported;
    case 'headlessgl':
      return GPU.isHeadlessGLSupported;
    case 'webasm':
      return GPU.isWebAssemblySupported;
    default:
      return mode satisfies never;
  }
}
