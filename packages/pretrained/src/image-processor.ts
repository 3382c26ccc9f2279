// ViTImageProcessor from preprocessor_config.json: resize (Pillow's bilinear resampling, the
// fixed-point arithmetic included, as Hugging Face resizes through Pillow), rescale, normalize,
// channels first. Images come as RGB(A) bytes, e.g. a canvas's ImageData.
import { makeTensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { HubConfig, PretrainedError } from './config.js';

/** An image as bytes, row-major, `channels` interleaved (ImageData: RGBA, 4). */
export interface ImageInput {
  data: ArrayLike<number>;
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA, alpha dropped); default data.length / (width · height). */
  channels?: number;
}

/**
 * The preprocessing of a ViT folder. C channels · H, W the model's image size.
 * @example const pixels = imageProcessor.preprocess(ctx.getImageData(0, 0, w, h)); vit.forward(pixels) // [1, 3, H, W]
 */
export class ImageProcessor {
  readonly doResize: boolean;
  readonly height: number;
  readonly width: number;
  readonly doRescale: boolean;
  readonly rescaleFactor: number;
  readonly doNormalize: boolean;
  readonly imageMean: number[];
  readonly imageStd: number[];

  /** From preprocessor_config.json's parsed fields (the model's channels C). */
  constructor(config: HubConfig, readonly channels: number) {
    this.doResize = config.bool('do_resize', true);
    const size = config.fields.get('size');
    if (typeof size === 'number') {
      this.height = this.width = config.int('size', 1, 16_384);
    } else {
      const s = new HubConfig(`${config.file} size`, size ?? { height: 224, width: 224 }, config.where);
      this.height = s.int('height', 1, 16_384);
      this.width = s.int('width', 1, 16_384);
    }
    if (config.has('resample') && config.fields.get('resample') !== 2) throw config.error(`is ${JSON.stringify(config.fields.get('resample'))}; qkv implements only 2 (Pillow's BILINEAR)`, 'resample');
    this.doRescale = config.bool('do_rescale', true);
    this.rescaleFactor = config.positive('rescale_factor', 1, 1 / 255);
    this.doNormalize = config.bool('do_normalize', true);
    const list = (field: string): number[] => {
      const v = config.fields.get(field) ?? new Array<number>(channels).fill(0.5);
      const values = typeof v === 'number' ? new Array<number>(channels).fill(v) : v;
      if (!Array.isArray(values) || values.length !== channels || !values.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw config.error(`must be ${channels} finite numbers, got ${JSON.stringify(v)?.slice(0, 60)}`, field);
      }
      return values as number[];
    };
    this.imageMean = list('image_mean');
    this.imageStd = list('image_std');
    if (this.imageStd.some((s) => s === 0)) throw config.error('must not contain 0', 'image_std');
  }

  /** One image or a batch → pixel values float32 [B, C, H, W]. */
  preprocess(images: ImageInput | readonly ImageInput[]): Tensor {
    const list = Array.isArray(images) ? (images as readonly ImageInput[]) : [images as ImageInput];
    const [C, H, W] = [this.channels, this.height, this.width];
    const out = new Float32Array(list.length * C * H * W);
    list.forEach((image, b) => {
      const { data: raw, width, height } = checkImage(image, this.doResize ? null : [H, W]);
      const channels = raw.length / (width * height);
      const data = this.doResize && (width !== W || height !== H) ? resizeBilinear(raw, width, height, channels, W, H) : raw;
      for (let c = 0; c < C; c++) {
        const from = channels === 1 ? 0 : c; // grey → every channel, as Pillow's convert('RGB')
        for (let i = 0; i < H * W; i++) {
          let v = data[i * channels + from]!;
          if (this.doRescale) v *= this.rescaleFactor;
          if (this.doNormalize) v = (v - this.imageMean[c]!) / this.imageStd[c]!;
          out[((b * C + c) * H * W) + i] = v;
        }
      }
    });
    return makeTensor(out, [list.length, C, H, W], 'float32');
  }
}

function checkImage(image: ImageInput, size: [number, number] | null): { data: ArrayLike<number>; width: number; height: number } {
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width * height > 2 ** 26) {
    throw new PretrainedError(`ImageProcessor.preprocess: width and height must be positive integers (at most 2^26 pixels), got ${width} × ${height}`);
  }
  const channels = image.channels ?? data.length / (width * height);
  if (![1, 3, 4].includes(channels) || data.length !== width * height * channels) {
    throw new PretrainedError(`ImageProcessor.preprocess: data must hold ${width} × ${height} × (1, 3 or 4) bytes, got ${data.length}`);
  }
  if (size && (height !== size[0] || width !== size[1])) throw new PretrainedError(`ImageProcessor.preprocess: do_resize is false, so images must be ${size[1]} × ${size[0]}, got ${width} × ${height}`);
  if (channels === 4) { // drop alpha
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * 4 + c]!;
    return { data: rgb, width, height };
  }
  return { data, width, height };
}

const PRECISION_BITS = 32 - 8 - 2;

/** Pillow's bilinear coefficients for one axis (antialiased when shrinking), in its fixed point. */
function coefficients(inSize: number, outSize: number): { start: number[]; weights: Int32Array[] } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the bilinear (triangle) filter's support is 1
  const start: number[] = [];
  const weights: Int32Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
    const k: number[] = [];
    let sum = 0;
    for (let x = lo; x < hi; x++) {
      const d = Math.abs((x - center + 0.5) / filterScale);
      const w = d < 1 ? 1 - d : 0;
      k.push(w);
      sum += w;
    }
    start.push(lo);
    weights.push(Int32Array.from(k, (w) => { const v = (sum === 0 ? 0 : w / sum) * 2 ** PRECISION_BITS; return Math.trunc(v < 0 ? v - 0.5 : v + 0.5); }));
  }
  return { start, weights };
}

/** One pass along x (axis 0) or y (axis 1) with rounding to bytes, as Pillow's ImagingResample. */
function pass(data: ArrayLike<number>, w: number, h: number, ch: number, outSize: number, axis: 0 | 1): Uint8Array {
  const [ow, oh] = axis === 0 ? [outSize, h] : [w, outSize];
  const { start, weights } = coefficients(axis === 0 ? w : h, outSize);
  const out = new Uint8Array(ow * oh * ch);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const o = axis === 0 ? x : y;
      const k = weights[o]!;
      for (let c = 0; c < ch; c++) {
        let ss = 1 << (PRECISION_BITS - 1);
        for (let j = 0; j < k.length; j++) {
          const src = axis === 0 ? (y * w + start[o]! + j) : ((start[o]! + j) * w + x);
          ss += data[src * ch + c]! * k[j]!;
        }
        out[(y * ow + x) * ch + c] = Math.min(255, Math.max(0, Math.floor(ss / 2 ** PRECISION_BITS)));
      }
    }
  }
  return out;
}

/** Resizes bytes [h, w, ch] to [oh, ow, ch]: horizontal pass, then vertical, each skipped when that side keeps its size. */
export function resizeBilinear(data: ArrayLike<number>, w: number, h: number, ch: number, ow: number, oh: number): Uint8Array {
  let out: ArrayLike<number> = data;
  if (ow !== w) out = pass(out, w, h, ch, ow, 0);
  if (oh !== h) out = pass(out, ow, h, ch, oh, 1);
  return out instanceof Uint8Array ? out : Uint8Array.from(out);
}
