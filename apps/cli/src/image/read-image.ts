// Reads a 28×28 grey image for `qkv predict vit-mnist <file>`: PGM (P2 text or P5 binary) or JSON
// (784 numbers, or 28 rows of 28), values 0…1 or 0…255, 0 = background (as MNIST: white ink on black;
// an 8-bit PGM's maxval is full ink). `readImage` reads a grey or colour image of any size for
// `qkv inspect --image` (PGM, or PPM P3/P6 for RGB).
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** The pixels of `path`, row-major, scaled to [0, 1]: Float32Array [size·size]. */
export function readGreyImage(path: string, size: number): Float32Array {
  const bytes = readFileSync(path);
  const { pixels, white } = path.toLowerCase().endsWith('.json') ? fromJson(bytes.toString('utf8'), path) : fromPgm(bytes, path);
  if (pixels.length !== size * size) throw new UsageError(`readGreyImage: ${path} must hold ${size}×${size} = ${size * size} pixels, got ${pixels.length}`);
  return Float32Array.from(pixels, (v) => Math.min(1, Math.max(0, v / white)));
}

/**
 * A PGM (grey) or PPM (RGB) image of any size as 8-bit samples, row-major, channels interleaved
 * [H·W·C], for an image processor (ViT's resize and normalisation).
 * @example const { data, width, height, channels } = readImage('cat.ppm') // channels 3
 */
export function readImage(path: string): { data: Uint8Array; width: number; height: number; channels: number } {
  const bytes = readFileSync(path);
  const magic = bytes.subarray(0, 2).toString('latin1');
  if (!['P2', 'P3', 'P5', 'P6'].includes(magic)) throw new UsageError(`readImage: ${path} must be a PGM (P2/P5) or PPM (P3/P6) image, got magic '${magic.replace(/[^ -~]/g, '?')}'`);
  const channels = magic === 'P3' || magic === 'P6' ? 3 : 1;
  const { pixels, white, width, height } = fromNetpbm(bytes, path, channels);
  if (pixels.length !== width * height * channels) throw new UsageError(`readImage: ${path} must hold ${width}×${height}×${channels} samples, got ${pixels.length}`);
  return { data: Uint8Array.from(pixels, (v) => Math.round((255 * Math.min(white, Math.max(0, v))) / white)), width, height, channels };
}

/** Samples and the value that means full ink. */
interface RawImage {
  pixels: number[];
  white: number;
}

function fromJson(text: string, path: string): RawImage {
  const value = JSON.parse(text) as unknown;
  const flat = Array.isArray(value) ? (value as unknown[]).flat() : null;
  if (!flat?.every((v) => typeof v === 'number')) throw new UsageError(`readGreyImage: ${path} must be a JSON array of numbers (or of rows of numbers)`);
  const pixels = flat;
  return { pixels, white: pixels.some((v) => v > 1) ? 255 : 1 };
}

function fromPgm(bytes: Buffer, path: string): RawImage {
  const magic = bytes.subarray(0, 2).toString('latin1');
  if (magic !== 'P2' && magic !== 'P5') throw new UsageError(`readGreyImage: ${path} must be a PGM (P2/P5) or .json image, got magic '${magic}'`);
  return fromNetpbm(bytes, path, 1);
}

/** PGM / PPM: magic, width, height, maxval (comments after '#'), then text or binary samples. */
function fromNetpbm(bytes: Buffer, path: string, channels: number): RawImage & { width: number; height: number } {
  const magic = bytes.subarray(0, 2).toString('latin1');
  const fields: number[] = [];
  let i = 2;
  while (fields.length < 3) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i]!))) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i]!))) token += String.fromCharCode(bytes[i++]!);
    if (token === '') throw new UsageError(`readGreyImage: ${path} ends inside its PGM header`);
    fields.push(Number(token));
  }
  const [width, height, maxval] = fields as [number, number, number];
  if (![width, height, maxval].every((f) => Number.isInteger(f) && f > 0) || width * height > 1 << 26 || maxval > 65535) {
    throw new UsageError(`readImage: ${path} has a bad header: width ${width}, height ${height}, maxval ${maxval}`);
  }
  const n = width * height * channels;
  const raw = magic === 'P5' || magic === 'P6' ? Array.from(bytes.subarray(i + 1, i + 1 + n)) : bytes.subarray(i).toString('latin1').trim().split(/\s+/).map(Number);
  if ((magic === 'P5' || magic === 'P6') && maxval > 255) throw new UsageError(`readImage: ${path} has 16-bit samples; save it with 8 bits`);
  return { pixels: raw.slice(0, n), white: maxval, width, height };
}
