// Reads a 28×28 grey image for `qkv predict vit-mnist <file>`: PGM (P2 text or P5 binary) or JSON
// (784 numbers, or 28 rows of 28), values 0…1 or 0…255, 0 = background (as MNIST: white ink on black;
// an 8-bit PGM's maxval is full ink). Every header field and sample is checked: a bad file is a
// UsageError naming the file, never NaN pixels.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** The largest file `readGreyImage` reads (a 28×28 image is under 10 kB in any of its formats). */
const MAX_BYTES = 16_000_000;

/** The pixels of `path`, row-major, scaled to [0, 1]: Float32Array [size·size]. */
export function readGreyImage(path: string, size: number): Float32Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(`readGreyImage: cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (code ?? (err as Error).message)})`, { cause: err });
  }
  return decodeGreyImage(bytes, path, size);
}

/**
 * The pixels of an image file's bytes (PGM P2/P5, or JSON when `path` ends in .json), row-major,
 * scaled to [0, 1]: Float32Array [size·size]. `path` names the file in errors.
 * @example decodeGreyImage(new TextEncoder().encode('P2 2 2 255 0 255 255 0'), 'a.pgm', 2) // Float32Array [0, 1, 1, 0]
 */
export function decodeGreyImage(bytes: Uint8Array, path: string, size: number): Float32Array {
  if (bytes.length > MAX_BYTES) throw new UsageError(`readGreyImage: ${path} is ${bytes.length} bytes, more than the ${MAX_BYTES} an image of ${size}×${size} needs`);
  const { pixels, white } = path.toLowerCase().endsWith('.json') ? fromJson(new TextDecoder().decode(bytes), path) : fromPgm(bytes, path, size);
  if (pixels.length !== size * size) throw new UsageError(`readGreyImage: ${path} must hold ${size}×${size} = ${size * size} pixels, got ${pixels.length}`);
  return Float32Array.from(pixels, (v) => Math.min(1, Math.max(0, v / white)));
}

/** Samples and the value that means full ink. */
interface RawImage {
  pixels: number[];
  white: number;
}

function fromJson(text: string, path: string): RawImage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`readGreyImage: ${path} is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const flat = Array.isArray(value) ? (value as unknown[]).flat() : null;
  if (!flat?.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new UsageError(`readGreyImage: ${path} must be a JSON array of finite numbers (or of rows of numbers)`);
  const pixels = flat as number[];
  return { pixels, white: pixels.some((v) => v > 1) ? 255 : 1 };
}

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

/** PGM: magic, width, height, maxval (comments after '#'), then text or binary samples. */
function fromPgm(bytes: Uint8Array, path: string, size: number): RawImage {
  const magic = String.fromCharCode(...bytes.subarray(0, 2));
  if (magic !== 'P2' && magic !== 'P5') throw new UsageError(`readGreyImage: ${path} must be a PGM (P2/P5) or .json image, got magic '${magic.replace(/[^ -~]/g, '?')}'`);
  const fields: number[] = [];
  let i = 2;
  while (fields.length < 3) {
    while (i < bytes.length && isSpace(bytes[i])) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < bytes.length && !isSpace(bytes[i]) && token.length <= 10) token += String.fromCharCode(bytes[i++]!);
    if (token === '') throw new UsageError(`readGreyImage: ${path} ends inside its PGM header`);
    const name = ['width', 'height', 'maxval'][fields.length]!;
    const v = /^\d{1,10}$/.test(token) ? Number(token) : NaN;
    if (!(v >= 1 && v <= (name === 'maxval' ? 65_535 : 1_000_000))) throw new UsageError(`readGreyImage: ${path} PGM ${name} must be an integer from 1 to ${name === 'maxval' ? 65_535 : 1_000_000}, got '${token.slice(0, 10).replace(/[^ -~]/g, '?')}'`);
    fields.push(v);
  }
  const [width, height, maxval] = fields as [number, number, number];
  if (magic === 'P5' && maxval > 255) throw new UsageError(`readGreyImage: ${path} is a 16-bit PGM; save it with 8 bits`);
  const n = width * height;
  if (n !== size * size) throw new UsageError(`readGreyImage: ${path} must hold ${size}×${size} = ${size * size} pixels, got ${n} (${width}×${height})`);
  if (magic === 'P5') {
    if (!isSpace(bytes[i])) throw new UsageError(`readGreyImage: ${path} PGM header must end with one whitespace byte before the samples`);
    const data = bytes.subarray(i + 1);
    if (data.length < n) throw new UsageError(`readGreyImage: ${path} is a ${width}×${height} P5 PGM, so it needs ${n} sample bytes, got ${data.length}`);
    return { pixels: Array.from(data.subarray(0, n)), white: maxval };
  }
  const text = new TextDecoder('latin1').decode(bytes.subarray(i)).trim();
  const tokens = text === '' ? [] : text.split(/\s+/, n + 1);
  if (tokens.length < n) throw new UsageError(`readGreyImage: ${path} is a ${width}×${height} P2 PGM, so it needs ${n} samples, got ${tokens.length}`);
  const pixels = tokens.slice(0, n).map((t, k) => {
    const v = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
    if (!(v <= maxval)) throw new UsageError(`readGreyImage: ${path} PGM sample ${k} must be an integer from 0 to maxval ${maxval}, got '${t.slice(0, 10).replace(/[^ -~]/g, '?')}'`);
    return v;
  });
  return { pixels, white: maxval };
}
