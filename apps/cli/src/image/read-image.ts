// Reads a 28×28 grey image for `qkv predict vit-mnist <file>`: PGM (P2 text or P5 binary) or JSON
// (784 numbers, or 28 rows of 28), values 0…1 or 0…255, 0 = background (as MNIST: white ink on black;
// an 8-bit PGM's maxval is full ink). `readImage` reads a grey or colour image of any size for
// `qkv inspect --image` (PGM, or PPM P3/P6 for RGB). Every header field and sample is checked: a bad
// file is a UsageError naming the file, never NaN pixels.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** The largest image file read (a 28×28 image is under 10 kB in any of its formats; 16 MB is a 2,300² RGB PPM). */
const MAX_BYTES = 16_000_000;

/** The pixels of `path`, row-major, scaled to [0, 1]: Float32Array [size·size]. */
export function readGreyImage(path: string, size: number): Float32Array {
  return decodeGreyImage(readImageFile(path, 'readGreyImage'), path, size);
}

/** The bytes of an image file, or a UsageError from `fn` saying why they cannot be read. */
function readImageFile(path: string, fn: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(`${fn}: cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (code ?? (err as Error).message)})`, { cause: err });
  }
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

/**
 * A PGM (grey) or PPM (RGB) image of any size as 8-bit samples, row-major, channels interleaved
 * [H·W·C], for an image processor (ViT's resize and normalisation).
 * @example const { data, width, height, channels } = readImage('cat.ppm') // channels 3
 */
export function readImage(path: string): { data: Uint8Array; width: number; height: number; channels: number } {
  const bytes = readImageFile(path, 'readImage');
  if (bytes.length > MAX_BYTES) throw new UsageError(`readImage: ${path} is ${bytes.length} bytes, more than the ${MAX_BYTES} this reader takes`);
  const magic = String.fromCharCode(...bytes.subarray(0, 2));
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

function fromPgm(bytes: Uint8Array, path: string, size: number): RawImage {
  const magic = String.fromCharCode(...bytes.subarray(0, 2));
  if (magic !== 'P2' && magic !== 'P5') throw new UsageError(`readGreyImage: ${path} must be a PGM (P2/P5) or .json image, got magic '${magic.replace(/[^ -~]/g, '?')}'`);
  const image = fromNetpbm(bytes, path, 1, 'readGreyImage', size * size);
  return { pixels: image.pixels, white: image.white };
}

/**
 * PGM / PPM: magic, width, height, maxval (comments after '#'), then text or binary samples; `fn`
 * names the public reader in errors, and `pixels` (when given) is the width × height it must have.
 */
function fromNetpbm(bytes: Uint8Array, path: string, channels: number, fn = 'readImage', pixels?: number): RawImage & { width: number; height: number } {
  const magic = String.fromCharCode(...bytes.subarray(0, 2));
  const kind = channels === 3 ? 'PPM' : 'PGM';
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
    if (token === '') throw new UsageError(`${fn}: ${path} ends inside its ${kind} header`);
    const name = ['width', 'height', 'maxval'][fields.length]!;
    const v = /^\d{1,10}$/.test(token) ? Number(token) : NaN;
    if (!(v >= 1 && v <= (name === 'maxval' ? 65_535 : 1_000_000))) throw new UsageError(`${fn}: ${path} ${kind} ${name} must be an integer from 1 to ${name === 'maxval' ? 65_535 : 1_000_000}, got '${token.slice(0, 10).replace(/[^ -~]/g, '?')}'`);
    fields.push(v);
  }
  const [width, height, maxval] = fields as [number, number, number];
  const binary = magic === 'P5' || magic === 'P6';
  if (binary && maxval > 255) throw new UsageError(`${fn}: ${path} is a 16-bit ${kind}; save it with 8 bits`);
  if (pixels !== undefined && width * height !== pixels) throw new UsageError(`${fn}: ${path} must hold ${Math.sqrt(pixels)}×${Math.sqrt(pixels)} = ${pixels} pixels, got ${width * height} (${width}×${height})`);
  if (width * height > 1 << 26) throw new UsageError(`${fn}: ${path} is ${width}×${height}, more than the ${1 << 26} pixels an image may have here`);
  const n = width * height * channels;
  if (binary) {
    if (!isSpace(bytes[i])) throw new UsageError(`${fn}: ${path} ${kind} header must end with one whitespace byte before the samples`);
    const data = bytes.subarray(i + 1);
    if (data.length < n) throw new UsageError(`${fn}: ${path} is a ${width}×${height} ${magic} ${kind}, so it needs ${n} sample bytes, got ${data.length}`);
    return { pixels: Array.from(data.subarray(0, n)), white: maxval, width, height };
  }
  const text = new TextDecoder('latin1').decode(bytes.subarray(i)).trim();
  const tokens = text === '' ? [] : text.split(/\s+/, n + 1);
  if (tokens.length < n) throw new UsageError(`${fn}: ${path} is a ${width}×${height} ${magic} ${kind}, so it needs ${n} samples, got ${tokens.length}`);
  const samples = tokens.slice(0, n).map((t, k) => {
    const v = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
    if (!(v <= maxval)) throw new UsageError(`${fn}: ${path} ${kind} sample ${k} must be an integer from 0 to maxval ${maxval}, got '${t.slice(0, 10).replace(/[^ -~]/g, '?')}'`);
    return v;
  });
  return { pixels: samples, white: maxval, width, height };
}
