// Counts live WebGL textures and WebGPU buffers by wrapping the browser's own create/delete calls,
// an account independent of gpu.js and of our backend. Install before any context exists.

/** Live device objects seen through the browser APIs. */
export const deviceCounts = { textures: 0, buffers: 0 };

type AnyFn = (...args: unknown[]) => unknown;

function wrap(proto: Record<string, unknown> | undefined, name: string, delta: (result: unknown) => void): void {
  if (!proto || typeof proto[name] !== 'function') return;
  const original = proto[name] as AnyFn;
  proto[name] = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    delta(result);
    return result;
  };
}

/** Wraps createTexture/deleteTexture (WebGL 1 and 2) and createBuffer/destroy (WebGPU). */
export function installDeviceCounter(): void {
  const g = globalThis as unknown as Record<string, { prototype: Record<string, unknown> } | undefined>;
  for (const ctx of ['WebGLRenderingContext', 'WebGL2RenderingContext']) {
    wrap(g[ctx]?.prototype, 'createTexture', () => deviceCounts.textures++);
    wrap(g[ctx]?.prototype, 'deleteTexture', () => deviceCounts.textures--);
  }
  const destroyed = new WeakSet<object>();
  wrap(g.GPUDevice?.prototype, 'createBuffer', () => deviceCounts.buffers++);
  const bufferProto = g.GPUBuffer?.prototype;
  if (bufferProto) {
    const destroy = bufferProto.destroy as AnyFn;
    bufferProto.destroy = function (this: object) {
      if (!destroyed.has(this)) {
        destroyed.add(this);
        deviceCounts.buffers--;
      }
      return destroy.call(this);
    };
  }
}
