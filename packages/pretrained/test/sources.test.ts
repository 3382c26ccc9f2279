// The three kinds of source (directory, File objects, base URL) give the same model, report
// progress, and the image processor resizes as Pillow does.
import { GPT } from '@qkv/transformer';
import type { VisionTransformer } from '@qkv/transformer';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromPretrained, urlSource } from '../src/index.js';
import type { Progress } from '../src/index.js';
import { fromPretrained as fromDirectory } from '../src/node.js';
import { FIXTURES, expectNear, expected, ids } from './helpers.js';
import type { Arr } from './helpers.js';
import { asFiles, folderBytes } from './memory.js';

/** A fetch serving the fixture folder at http://models.test/gpt2/, 404 otherwise; records the URLs asked for. */
function fakeFetch(folder: string, asked: string[]) {
  const files = folderBytes(folder);
  return (url: string): Promise<Response> => {
    asked.push(url);
    const bytes = files.get(url.replace(`http://models.test/${folder}/`, ''));
    return Promise.resolve(bytes ? new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), { headers: { 'content-length': String(bytes.length) } }) : new Response('not found', { status: 404 }));
  };
}

describe('sources', () => {
  const want = expected<{ input_ids: number[][]; logits: Arr }>('gpt2');

  it('a base URL: files fetched once each, progress reported up to each file\'s size', async () => {
    const asked: string[] = [];
    const progress: Progress[] = [];
    const source = urlSource('http://models.test/gpt2', { fetch: fakeFetch('gpt2', asked), onProgress: (p) => progress.push(p) });
    const { model, tokenizer } = await fromPretrained<GPT>(source);
    expectNear(model.forward(ids(want.input_ids)), want.logits);
    expect(tokenizer!.vocabSize).toBe(297);
    expect(new Set(asked).size).toBe(asked.length);
    const size = folderBytes('gpt2').get('model.safetensors')!.length;
    expect(progress.filter((p) => p.file === 'model.safetensors').at(-1)).toEqual({ file: 'model.safetensors', loaded: size, total: size });
  });

  it('browser File objects (a FileList\'s contents), with progress through onProgress', async () => {
    const progress: Progress[] = [];
    const { model } = await fromPretrained<GPT>(asFiles(folderBytes('gpt2')), { onProgress: (p) => progress.push(p) });
    expectNear(model.forward(ids(want.input_ids)), want.logits);
    const weights = progress.filter((p) => p.file === 'model.safetensors');
    expect(weights.length).toBeGreaterThan(10); // one report per tensor read
    expect(weights.every((p, i) => i === 0 || p.loaded >= weights[i - 1]!.loaded)).toBe(true);
    expect(weights.at(-1)!.loaded).toBe(weights.at(-1)!.total);
  });

  it('a directory path given to the main entry loads @qkv/pretrained/node on demand', async () => {
    const { model } = await fromPretrained<GPT>(join(FIXTURES, 'gpt2'), { tokenizer: false });
    expect(model).toBeInstanceOf(GPT);
    expectNear(model.forward(ids(want.input_ids)), want.logits);
  });

  it('names a missing file and a missing directory', async () => {
    await expect(fromDirectory(join(FIXTURES, 'no-such-model'))).rejects.toThrow(/fromPretrained: .*no-such-model has no config\.json/);
    const files = folderBytes('bert-cls');
    files.delete('vocab.txt');
    await expect(fromPretrained(asFiles(files))).rejects.toThrow(/fromPretrained: 2 files has neither tokenizer\.json nor vocab\.txt for BERT's WordPiece tokenizer/);
    expect((await fromPretrained(asFiles(files), { tokenizer: false })).tokenizer).toBeNull();
  });
});

describe('ImageProcessor', () => {
  interface Resized { image_hwc_uint8: number[][][]; pixel_values: Arr }

  it('resizes (shrinking and enlarging) as Pillow\'s bilinear filter, then rescales and normalizes', async () => {
    const { imageProcessor } = await fromDirectory<VisionTransformer>(join(FIXTURES, 'vit-cls'));
    for (const { image_hwc_uint8: img, pixel_values: px } of expected<{ resized: Resized[] }>('vit-cls').resized) {
      const pixels = imageProcessor!.preprocess({ data: Uint8Array.from(img.flat(2)), width: img[0]!.length, height: img.length });
      expectNear(pixels, { shape: [1, ...px.shape], data: px.data }, 1e-5);
    }
  });

  it('drops alpha from RGBA (ImageData) and refuses a wrong byte count', async () => {
    const { imageProcessor } = await fromDirectory<VisionTransformer>(join(FIXTURES, 'vit-cls'));
    const rgb = Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 37) % 256);
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let i = 0; i < 256; i++) rgba.set([...rgb.subarray(3 * i, 3 * i + 3), 255], 4 * i);
    expect(imageProcessor!.preprocess({ data: rgba, width: 16, height: 16 }).dataSync()).toEqual(imageProcessor!.preprocess({ data: rgb, width: 16, height: 16 }).dataSync());
    expect(() => imageProcessor!.preprocess({ data: rgb.subarray(1), width: 16, height: 16 })).toThrow(/ImageProcessor\.preprocess: data must hold 16 × 16 × \(1, 3 or 4\) bytes, got 767/);
  });
});
