import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Generator, randn, tensor } from '@qkv/tensor-core';
import { Embedding, GRU, LSTM, LayerNorm, Linear, SafetensorsError, load, parseHeader, save } from '../src/index.js';
import { loadFile, saveFile } from '../src/io/node.js';
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from '../src/io/dtypes.js';

/** Builds a file by hand from a header object and a data buffer, as the format defines it. */
function fileOf(header: unknown, data: Uint8Array, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors layout', () => {
  it('reads a file built byte by byte from the specification', () => {
    const data = new Uint8Array(new Float32Array([1.5, -2, 3, 4]).buffer);
    const ints = new Uint8Array([7, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]); // I64 7, −1
    const file = fileOf(
      { __metadata__: { format: 'pt' }, w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] }, ids: { dtype: 'I64', shape: [2], data_offsets: [16, 32] } },
      new Uint8Array([...data, ...ints]),
    );
    const { tensors, metadata } = load(file);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.w!.toArray()).toEqual([[1.5, -2], [3, 4]]);
    expect(tensors.ids!.dtype).toBe('int32');
    expect(tensors.ids!.toArray()).toEqual([7, -1]);
  });

  it('writes the length as a little-endian u64, pads the header to 8 bytes with spaces, and round-trips every dtype', () => {
    const tensors = { a: tensor([[1, 2, 3]]), b: tensor([1, -2], { dtype: 'int32' }), c: tensor([true, false, true]), s: tensor(3.5) };
    const bytes = save(tensors, { metadata: { note: 'héllo' } });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(0);
    expect(n % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(headerText.endsWith(' ') || headerText.endsWith('}')).toBe(true);
    const back = load(bytes);
    for (const [k, t] of Object.entries(tensors)) {
      expect(back.tensors[k]!.dtype).toBe(t.dtype);
      expect(back.tensors[k]!.toArray()).toEqual(t.toArray());
    }
    expect(back.metadata).toEqual({ note: 'héllo' });
  });

  it('stores float32 as F16 or BF16 on request, rounding to nearest even', () => {
    const values = [0, 1, -2.5, 65504, 1e-7, 3.14159];
    const f16 = load(save({ x: tensor(values) }, { floatDType: 'F16' })).tensors.x!;
    expect(Array.from(f16.dataSync())).toEqual(values.map((v) => halfToFloat(floatToHalf(v))));
    expect(halfToFloat(floatToHalf(1 + 2 ** -11))).toBe(1); // tie → even
    expect(halfToFloat(floatToHalf(70000))).toBe(Infinity);
    expect(halfToFloat(0x3555)).toBeCloseTo(0.33325, 5);
    const bf = load(save({ x: tensor(values) }, { floatDType: 'BF16', intDType: 'I64' })).tensors.x!;
    expect(Array.from(bf.dataSync())).toEqual(values.map((v) => bf16ToFloat(floatToBf16(v))));
    expect(bf16ToFloat(floatToBf16(1 + 2 ** -8))).toBe(1);
    expect(parseHeader(save({ i: tensor([1], { dtype: 'int32' }) }, { intDType: 'I64' })).tensors[0]!.dtype).toBe('I64');
  });

  it('saves and loads files in Node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qkv-nn-'));
    const lin = new Linear(3, 2);
    await saveFile(join(dir, 'm.safetensors'), lin.stateDict());
    const other = new Linear(3, 2);
    other.loadStateDict((await loadFile(join(dir, 'm.safetensors'))).tensors);
    expect(other.weight.toArray()).toEqual(lin.weight.toArray());
  });
});

describe('state-dict keys and shapes match PyTorch (the README table)', () => {
  const shapes = (sd: Record<string, { shape: number[] }>) => Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]));
  const table: [string, () => Record<string, { shape: number[] }>, Record<string, number[]>][] = [
    ['Linear(4, 3)', () => new Linear(4, 3).stateDict(), { weight: [3, 4], bias: [3] }],
    ['Embedding(10, 4)', () => new Embedding(10, 4).stateDict(), { weight: [10, 4] }],
    ['LayerNorm(4)', () => new LayerNorm(4).stateDict(), { weight: [4], bias: [4] }],
    ['GRU(4, 3, bidirectional)', () => new GRU(4, 3, { bidirectional: true }).stateDict(), {
      weight_ih_l0: [9, 4], weight_hh_l0: [9, 3], bias_ih_l0: [9], bias_hh_l0: [9],
      weight_ih_l0_reverse: [9, 4], weight_hh_l0_reverse: [9, 3], bias_ih_l0_reverse: [9], bias_hh_l0_reverse: [9],
    }],
    ['LSTM(4, 3, numLayers 2)', () => new LSTM(4, 3, { numLayers: 2 }).stateDict(), {
      weight_ih_l0: [12, 4], weight_hh_l0: [12, 3], bias_ih_l0: [12], bias_hh_l0: [12],
      weight_ih_l1: [12, 3], weight_hh_l1: [12, 3], bias_ih_l1: [12], bias_hh_l1: [12],
    }],
  ];
  for (const [name, make, expected] of table) {
    it(`${name}: the file written by save has exactly ${Object.keys(expected).join(', ')}`, () => {
      const header = parseHeader(save(make() as never));
      expect(Object.fromEntries(header.tensors.map((t) => [t.name, t.shape]))).toEqual(expected);
      expect(shapes(make())).toEqual(expected);
    });
  }
});

/** A valid file with three tensors of mixed dtypes, the seed of the corruption corpus. */
function validFile(): Uint8Array {
  return save(
    { w: randn([3, 4], { generator: new Generator(1) }), ids: tensor([1, 2, 3], { dtype: 'int32' }), m: tensor([true, false]) },
    { metadata: { a: 'b' } },
  );
}

function headerOf(file: Uint8Array): Record<string, unknown> {
  const n = new DataView(file.buffer, file.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>;
}

function bufferOf(file: Uint8Array): Uint8Array {
  const n = new DataView(file.buffer, file.byteOffset).getUint32(0, true);
  return file.subarray(8 + n);
}

/** The corpus: [description, file, expected message fragment]. Every file is invalid by construction. */
function corruptCorpus(): [string, Uint8Array, RegExp][] {
  const good = validFile();
  const header = headerOf(good);
  const data = bufferOf(good);
  const corpus: [string, Uint8Array, RegExp][] = [];
  const withHeader = (label: string, h: unknown, re: RegExp, buf = data) => corpus.push([label, fileOf(h, buf), re]);
  const entry = (name: string) => header[name] as { dtype: string; shape: number[]; data_offsets: number[] };
  // 1. Truncation at every length short of the whole file.
  for (let len = 0; len < good.length; len++) corpus.push([`truncated to ${len} bytes`, good.slice(0, len), /too short|exceeds|belong to no tensor|outside|not valid/]);
  // 2. Header length fields past the file or absurd.
  for (const n of [good.length, good.length - 7, 2 ** 32, 2 ** 40, 2 ** 53 - 1, 0xffffffff]) {
    const f = good.slice();
    const v = new DataView(f.buffer);
    v.setUint32(0, n % 2 ** 32, true);
    v.setUint32(4, Math.floor(n / 2 ** 32), true);
    corpus.push([`header length ${n}`, f, /exceeds/]);
  }
  for (const n of [0, 1]) {
    const f = good.slice();
    new DataView(f.buffer).setUint32(0, n, true);
    corpus.push([`header length ${n}`, f, /too short for a JSON object/]);
  }
  // 3. Bad JSON and non-object JSON.
  const text = JSON.stringify(header);
  for (let cut = 1; cut < Math.min(text.length, 40); cut++) corpus.push([`JSON cut at ${cut}`, fileOf(null, data, text.slice(0, text.length - cut)), /not valid JSON/]);
  for (const junk of ['[]', 'null', '42', '"x"', 'true', '{"a":1,}', "{'a':1}", '{"a" 1}']) corpus.push([`header ${junk}`, fileOf(null, data, junk), /not valid JSON|must be a JSON object|entry must be an object/]);
  corpus.push(['invalid UTF-8', fileOf(null, data, '{"X":1}').map((b, i) => (i === 10 ? 0xff : b)), /UTF-8/]);
  // 4. Unknown and unsupported dtypes, bad dtype types.
  for (const d of ['F8_E4M3', 'U64', 'f32', 'FLOAT', '', 'I128', 'C64', 'F32 ', 'bool']) withHeader(`dtype ${d}`, { ...header, w: { ...entry('w'), dtype: d } }, /unknown dtype|unsupported dtype/);
  for (const d of [1, null, ['F32'], { a: 1 }]) withHeader(`dtype ${JSON.stringify(d)}`, { ...header, w: { ...entry('w'), dtype: d } }, /dtype must be a string/);
  // 5. Shapes: negative, fractional, huge, wrong type, byte-count mismatch.
  for (const s of [[-3, 4], [3.5, 4], ['3', 4], [3, 4, 2], [12, 1, 1, 2], [2 ** 53, 2 ** 53], [1e308], [4, 4], [3], [], [0]]) {
    const valid = Array.isArray(s) && s.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
    withHeader(`shape ${JSON.stringify(s)}`, { ...header, w: { ...entry('w'), shape: s } }, valid ? /needs .* bytes/ : /shape must be an array/);
  }
  for (const s of [null, 3, 'x', { 0: 3 }]) withHeader(`shape ${JSON.stringify(s)}`, { ...header, w: { ...entry('w'), shape: s } }, /shape must be an array/);
  // 6. Offsets: out of range, reversed, overlapping, gaps, bad types.
  const [wb, we] = entry('w').data_offsets as [number, number];
  for (const o of [[wb, we + data.length], [wb + data.length, we + data.length], [we, wb], [-1, we - wb - 1], [wb, we, 0], [wb], 'x', null, [wb + 0.5, we + 0.5], [2 ** 60, 2 ** 60 + 48]]) {
    withHeader(`w offsets ${JSON.stringify(o)}`, { ...header, w: { ...entry('w'), data_offsets: o } }, /data_offsets|outside|begin > end|needs/);
  }
  for (const shift of [1, 2, 4, 8, 47]) {
    const o = [wb + shift, we + shift];
    withHeader(`w shifted by ${shift}`, { ...header, w: { ...entry('w'), data_offsets: o } }, /overlaps|outside|belong to no tensor/);
  }
  const ids = entry('ids').data_offsets as [number, number];
  withHeader('ids overlaps w', { ...header, ids: { ...entry('ids'), data_offsets: [ids[0] - 4, ids[1] - 4] } }, /overlaps|belong to no tensor/);
  withHeader('duplicate range', { ...header, w2: entry('w') }, /overlaps/);
  withHeader('trailing bytes', header, /belong to no tensor/, new Uint8Array([...data, 0, 0, 0, 0]));
  withHeader('missing tensor leaves a gap', Object.fromEntries(Object.entries(header).filter(([k]) => k !== 'ids')), /belong to no tensor/);
  // 7. Metadata and entries of the wrong kind.
  for (const m of [1, 'x', null, [], { a: 1 }, { a: null }, { a: ['b'] }]) withHeader(`metadata ${JSON.stringify(m)}`, { ...header, __metadata__: m }, /__metadata__/);
  for (const e of [1, 'x', null, []]) withHeader(`entry ${JSON.stringify(e)}`, { ...header, w: e }, /entry must be an object/);
  withHeader('empty name', { ...header, '': entry('m') }, /empty name|overlaps/);
  // 8. I64 values outside int32.
  const big = new Uint8Array(8);
  new DataView(big.buffer).setUint32(4, 1, true);
  corpus.push(['I64 2^32', fileOf({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, big), /does not fit in int32/]);
  return corpus;
}

describe('safetensors rejects malformed files', () => {
  const corpus = corruptCorpus();

  it(`has at least 200 corrupted files in its corpus (${corpus.length})`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
  });

  it('gives each corrupted file a SafetensorsError naming the failed check, quickly', () => {
    const start = performance.now();
    for (const [label, file, re] of corpus) {
      let error: unknown;
      try {
        load(file);
      } catch (err) {
        error = err;
      }
      expect(error, label).toBeInstanceOf(SafetensorsError);
      expect((error as Error).message, label).toMatch(/^safetensors\.load: /);
      expect((error as Error).message, label).toMatch(re);
    }
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('never throws anything but SafetensorsError for random byte flips, and accepts flips in the data', () => {
    const good = validFile();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (flips) => {
        const f = good.slice();
        for (const [i, b] of flips) f[i] = b;
        try {
          load(f);
        } catch (err) {
          expect(err).toBeInstanceOf(SafetensorsError);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    const f = good.slice();
    f[f.length - 30]! ^= 0xff; // inside w's float data: still a valid file, with a different value
    expect(load(f).tensors.w!.shape).toEqual([3, 4]);
  });

  it('reads only within the given view of a larger buffer', () => {
    const good = validFile();
    const big = new Uint8Array(good.length + 100).fill(0x7b);
    big.set(good, 50);
    expect(Object.keys(load(big.subarray(50, 50 + good.length)).tensors)).toEqual(['w', 'ids', 'm']);
    expect(() => load(big.subarray(50, 50 + good.length - 1))).toThrow(SafetensorsError);
  });
});
