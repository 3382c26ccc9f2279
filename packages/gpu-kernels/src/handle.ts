// A tensor's storage on a gpu.js backend: a value that may still be on its way (WebGPU), with a
// reference count so a pending kernel keeps its inputs alive until it has been issued.

/** What gpu.js hands back: a host Float32Array (webasm, uploads) or a device object. */
export type DeviceData = Float32Array | DeviceObject;

/** A gpu.js `Texture` (GL modes) or `WebGPUBufferResult` (webgpu). */
export interface DeviceObject {
  toArray(): unknown;
  delete(): void;
}

/** True for a texture or buffer owned by the GPU (as opposed to a host array). */
export function isDeviceObject(d: DeviceData): d is DeviceObject {
  return !(d instanceof Float32Array);
}

/**
 * Storage of `size` float32 cells. Exactly one of `value` (ready) or `pending` (WebGPU, still being
 * issued) is set. Starts with one reference, the tensor's; `retain`/`release` bracket each use.
 */
export class GpuHandle {
  value: DeviceData | undefined;
  pending: Promise<DeviceData> | undefined;
  private refs = 1;

  constructor(
    readonly size: number,
    data: DeviceData | Promise<DeviceData>,
    private readonly onFree: (d: DeviceData) => void,
  ) {
    if (data instanceof Promise) {
      this.pending = data.then((v) => {
        this.value = v;
        this.pending = undefined;
        return v;
      });
    } else {
      this.value = data;
    }
  }

  /** The data, waiting for it if it is still pending. */
  get(): DeviceData | Promise<DeviceData> {
    return this.value ?? this.pending!;
  }

  /** Adds a reference (a kernel about to read this handle). */
  retain(): void {
    this.refs++;
  }

  /** Drops a reference; the device memory is freed when the last one goes. */
  release(): void {
    if (--this.refs > 0) return;
    if (this.value) this.onFree(this.value);
    else void this.pending!.then((v) => this.onFree(v), () => undefined);
  }
}
