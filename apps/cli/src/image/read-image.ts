// Reads a 28×28 grey image for `qkv predict vit-mnist <file>`: PGM (P2 text or P5 binary) or JSON
// (784 numbers, or 28 rows of 28), values 0…1 or 0…255, 0 = background (as MNIST: white ink on black;
// an 8-bit PGM's maxval is full ink).
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** The pixels of `path`, row-major, scaled to [0, 1]: Float32Array [size·size]. */
export function readGreyImage(path: string, size: number): Float32Array {
  const bytes = readFileSync(path);
  const { pixels, white } = path.toLowerCase().endsWith('.json') ? fromJson(bytes.toString('utf8'), path) : fromPgm(bytes, path);
  if (pixels.length !== size * size) throw new UsageError(`readGreyImage: ${path} must hold ${size}×${size} = ${size * size} pixels, got ${pixels.length}`);
  return Float32Array.from(pixels, (v) => Math.min(1, Math.max(0, v / white)));
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

/** PGM: magic, width, height, maxval (comments after '#'), then text or binary samples. */
function fromPgm(bytes: Buffer, path: string): RawImage {
  const magic = bytes.subarray(0, 2).toString('latin1');
  if (magic !== 'P2' && magic !== 'P5') throw new UsageError(`readGreyImage: ${path} must be a PGM (P2/P5) or .json image, got magic '${magic}'`);
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
  const n = width * height;
  const raw = magic === 'P5' ? Array.from(bytes.subarray(i + 1, i + 1 + n)) : bytes.subarray(i).toString('latin1').trim().split(/\s+/).map(Number);
  if (magic === 'P5' && maxval > 255) throw new UsageError(`readGreyImage: ${path} is a 16-bit PGM; save it with 8 bits`);
  return { pixels: raw.slice(0, n), white: maxval };
}
