// Registration of the gpu backends with tensor-core. The only module with side effects.
import { registerBackend, registerKernel } from '@qkv/tensor-core';
import { GpuBackend } from './backend.js';
import { gpuKernels } from './kernels/index.js';
import { isModeSupported } from './modes.js';
import type { GpuMode } from './modes.js';

/** The backend names this package registers, and the gpu.js modes behind them. */
export type GpuBackendName = 'webgpu' | 'webgl' | 'headlessgl' | 'webasm';

function registerKernels(backendName: string): void {
  const register = <K extends keyof typeof gpuKernels>(kernelName: K): void =>
    // replace: registering backend `backendName` again (after a registry reset, or a second copy of
    // this package) replaces the backend and, with it, its kernels
    registerKernel({ kernelName, backendName, kernelFunc: gpuKernels[kernelName], replace: true });
  for (const kernelName of Object.keys(gpuKernels) as (keyof typeof gpuKernels)[]) register(kernelName);
}

/** The texture side of a GL context gpu.js would use, or Infinity where there is none. */
function maxTextureSize(mode: GpuMode): number {
  if (mode !== 'webgl' && mode !== 'webgl2') return Infinity;
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext(mode) as WebGLRenderingContext | null;
  const size = gl ? (gl.getParameter(gl.MAX_TEXTURE_SIZE) as number) : Infinity;
  gl?.getExtension('WEBGL_lose_context')?.loseContext();
  return size;
}

/**
 * Registers backend `name` over gpu.js `mode` with all kernels, at `priority`. The factory fails
 * (so `ready()` skips it) when gpu.js does not support the mode here, or WebGPU has no adapter.
 * `options.maxTextureSize` overrides the GL limit read from the context (tests of the size check).
 * @example registerGpuBackend('webasm', 'webasm', 0); await setBackend('webasm');
 */
export function registerGpuBackend(name: string, mode: GpuMode, priority: number, options: { maxTextureSize?: number } = {}): void {
  registerBackend(
    name,
    async () => {
      if (!isModeSupported(mode)) throw new Error(`${name}: gpu.js mode '${mode}' is not supported in this environment`);
      if (mode === 'webgpu') {
        const { GPU } = await import('gpu.js');
        if (!(await GPU.isWebGPUAvailable())) throw new Error(`${name}: navigator.gpu exists but no WebGPU adapter answered`);
      }
      return new GpuBackend(name, mode, options.maxTextureSize ?? maxTextureSize(mode));
    },
    priority,
  );
  registerKernels(name);
}

/**
 * Registers the backends that fit this environment: `webgpu` and `webgl` (gpu.js `webgl2`, else
 * `webgl`) in browsers, `headlessgl` in Node where the `gl` package works. gpu.js `webasm` is only
 * registered on request ({@link registerWebAsmBackend}): the `wasm` backend is faster on the CPU.
 * Runs once on import; call again after a registry reset.
 * @example registerGpuBackends(); // → ['webgpu', 'webgl'] in Chromium, [] in Node without `gl`
 */
export function registerGpuBackends(): GpuBackendName[] {
  const names: GpuBackendName[] = [];
  if (isModeSupported('webgpu')) {
    registerGpuBackend('webgpu', 'webgpu', 4);
    names.push('webgpu');
  }
  if (isModeSupported('webgl2') || isModeSupported('webgl')) {
    registerGpuBackend('webgl', isModeSupported('webgl2') ? 'webgl2' : 'webgl', 3);
    names.push('webgl');
  }
  if (isModeSupported('headlessgl')) {
    registerGpuBackend('headlessgl', 'headlessgl', 3);
    names.push('headlessgl');
  }
  return names;
}

/**
 * Registers gpu.js's WebAssembly mode as backend `webasm` (priority 0: never the default), to
 * compare it or to test these kernels in Node where no GL context exists.
 * @example registerWebAsmBackend(); await setBackend('webasm');
 */
export function registerWebAsmBackend(): void {
  registerGpuBackend('webasm', 'webasm', 0);
}

registerGpuBackends();
