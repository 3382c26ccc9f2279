import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { Linear, SafetensorsError, load, loadCheckpoint, parseHeader, save, saveCheckpoint } from '../src/index.js';
import { loadFile } from '../src/io/node.js';
import { joinSafetensors as joinFile, splitSafetensors as splitFile } from '@qkv/fuzz-harness/mutations';
import { checkpointParts, seedCheckpoint } from './fuzz/readers.js';

/** The error `fn()` throws (fails the test when it throws nothing). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, got none');
}

const f32 = (n: number) => ({ dtype: 'F32', shape: [n], data_offsets: [0, 4 * n] });

describe('safetensors: names are data, never prototype keys', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    it(`round-trips a tensor named '${name}' through save and load (object and Map)`, () => {
      const fromObject = load(save({ [name]: tensor([1, 2]), w: tensor([3]) }));
      expect(Object.keys(fromObject.tensors)).toEqual([name, 'w']);
      expect(fromObject.tensors[name]!.toArray()).toEqual([1, 2]);
      expect([...fromObject.tensorMap.keys()]).toEqual([name, 'w']);
      const fromMap = load(save(new Map<string, Tensor>([[name, tensor([5])]])));
      expect(fromMap.tensorMap.get(name)!.toArray()).toEqual([5]);
      expect(Object.getPrototypeOf(fromMap.tensors)).toBe(null);
    });
  }

  it('keeps metadata keys such as __proto__ as own string entries', () => {
    const { metadata } = load(joinFile('{"__metadata__":{"__proto__":"a","toString":"b"}}', new Uint8Array()));
    expect(Object.entries(metadata)).toEqual([['__proto__', 'a'], ['toString', 'b']]);
  });

  for (const dtype of ['toString', '__proto__', 'constructor', 'valueOf']) {
    it(`calls the prototype key '${dtype}' an unknown dtype`, () => {
      const e = errorOf(() => load(joinFile(JSON.stringify({ w: { dtype, shape: [1], data_offsets: [0, 4] } }), new Uint8Array(4))));
      expect(e).toBeInstanceOf(SafetensorsError);
      expect(e.message).toMatch(new RegExp(`tensor "w": unknown dtype "${dtype}"; expected one of F64, F32`));
    });
  }

  it("reports a file's tensor named 'constructor' as an unexpected key in loadStateDict", () => {
    const lin = new Linear(1, 1);
    const sd = load(save({ ...lin.stateDict(), constructor: tensor([1]) })).tensors;
    expect(() => new Linear(1, 1).loadStateDict(sd)).toThrow(/unexpected keys: constructor/);
    const onlyProto = load(save({ ['__proto__']: tensor([1]) })).tensors;
    expect(() => lin.loadStateDict(onlyProto)).toThrow(/missing keys: weight, bias; unexpected keys: __proto__/);
  });
});

describe('safetensors: every length, offset and shape is validated', () => {
  it('accepts zero-element shapes such as [1e15, 0] (no data bytes) and loads them with that shape', () => {
    const file = joinFile(JSON.stringify({ e: { dtype: 'F32', shape: [1e15, 0], data_offsets: [0, 0] }, z: { dtype: 'I64', shape: [0, 2 ** 40], data_offsets: [0, 0] } }), new Uint8Array());
    const { tensors } = load(file);
    expect(tensors.e!.shape).toEqual([1e15, 0]);
    expect(tensors.e!.size).toBe(0);
    expect(tensors.z!.dtype).toBe('int32');
    expect(load(save({ e: tensor(new Float32Array(0), { shape: [3, 0, 5] }) })).tensors.e!.shape).toEqual([3, 0, 5]);
  });

  const bad: [string, unknown, RegExp][] = [
    ['a zero-size shape with bytes', { e: { dtype: 'F32', shape: [1e15, 0], data_offsets: [0, 4] } }, /needs 0 bytes/],
    ['a product past the buffer', { e: { dtype: 'F32', shape: [2 ** 26, 2 ** 26], data_offsets: [0, 4] } }, /needs more than 4 bytes/],
    ['a dimension past 2^53', { e: { dtype: 'F32', shape: [2 ** 53 + 2], data_offsets: [0, 4] } }, /shape must be an array of at most 64 non-negative integers/],
    ['rank 65', { e: { dtype: 'U8', shape: new Array(65).fill(1), data_offsets: [0, 1] } }, /at most 64/],
    ['a fractional offset', { e: { ...f32(1), data_offsets: [0, 3.5] } }, /data_offsets must be \[begin, end\] non-negative integers, got \[0,3.5\]/],
    ['a shape nested 100,000 deep', `{"e":{"dtype":"F32","shape":${'['.repeat(1e5)}${']'.repeat(1e5)},"data_offsets":[0,4]}}`, /shape must be .* got \[\[…\]\]/],
    ['a duplicate tensor name', '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', /expected unique keys, got "w" twice/],
    ['a duplicate key inside an entry', '{"w":{"dtype":"F32","shape":[1],"shape":[1],"data_offsets":[0,4]}}', /expected unique keys, got "shape" twice/],
    ['__metadata__ of numbers', { __metadata__: { a: 1 }, ...{ w: f32(1) } }, /__metadata__\["a"\]: must be a string, got 1/],
  ];
  for (const [label, header, re] of bad) {
    it(`refuses ${label} with a SafetensorsError naming the field`, () => {
      const text = typeof header === 'string' ? header : JSON.stringify(header);
      const e = errorOf(() => load(joinFile(text, new Uint8Array(4)), { file: 'm.safetensors' }));
      expect(e).toBeInstanceOf(SafetensorsError);
      expect(e.message).toMatch(/^safetensors\.load: m\.safetensors: /);
      expect(e.message).toMatch(re);
      expect((e as SafetensorsError).file).toBe('m.safetensors');
    });
  }

  it('refuses NaN and infinite weights when asked (nonFinite: "error"), naming the tensor and element', () => {
    const bytes = save({ ok: tensor([1]), w: tensor([1, 2, NaN]) });
    expect(load(bytes).tensors.w!.shape).toEqual([3]);
    expect(() => load(bytes, { nonFinite: 'error' })).toThrow(/tensor "w": expected finite values, got NaN at element 2/);
  });

  it('names the missing file, a directory and a truncated file in loadFile errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qkv-io-'));
    mkdirSync(join(dir, 'sub'));
    await expect(loadFile(join(dir, 'none.safetensors'))).rejects.toThrow(new RegExp(`^safetensors.loadFile: ${dir}/none.safetensors: no such file$`));
    await expect(loadFile(join(dir, 'sub'))).rejects.toThrow(/sub: expected a file, got a directory/);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 't.safetensors'), save({ w: tensor([1, 2, 3]) }).subarray(0, 40));
    const e = await loadFile(join(dir, 't.safetensors')).catch((err: unknown) => err as Error);
    expect(e).toBeInstanceOf(SafetensorsError);
    expect((e as Error).message).toMatch(/^safetensors\.load: .*t\.safetensors: /);
  });

  it('parseHeader applies the same checks without reading data', () => {
    expect(() => parseHeader(joinFile('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4)))).toThrow(/^safetensors\.parseHeader: tensor "w": shape \[2\] of F32 needs more than 4 bytes, but data_offsets \[0, 4\] hold 4$/);
  });
});

/** Rewrites one metadata JSON field of a checkpoint. */
function withMeta(file: Uint8Array, key: string, edit: (v: Record<string, unknown> & unknown[]) => unknown): Uint8Array {
  const { header, data } = splitFile(file);
  const meta = header.__metadata__ as Record<string, string>;
  meta[key] = JSON.stringify(edit(JSON.parse(meta[key]!) as Record<string, unknown> & unknown[]));
  return joinFile(JSON.stringify(header), data);
}

type Groups = { paramGroups: Record<string, unknown>[]; numbers: Record<string, Record<string, unknown>> };

describe('loadCheckpoint validates its metadata before changing anything', () => {
  const good = seedCheckpoint();
  const group = (patch: Record<string, unknown>) => withMeta(good, 'optimizer', (o) => {
    const g = o as unknown as Groups;
    g.paramGroups[0] = { ...g.paramGroups[0], ...patch };
    return g;
  });
  const protoGroup = withMeta(good, 'optimizer', (o) => {
    const g = o as unknown as Groups;
    return JSON.parse(JSON.stringify(g).replace('"lr":', '"__proto__":{"polluted":1},"lr":')) as unknown;
  });
  const cases: [string, Uint8Array, RegExp][] = [
    ['betas "x"', group({ betas: 'x' }), /paramGroups\[0\]\.betas: expected two numbers in \[0, 1\), got "x"/],
    ['betas [0.9, 1]', group({ betas: [0.9, 1] }), /betas: expected two numbers in \[0, 1\), got \[0\.9,1\]/],
    ['a negative lr', group({ lr: -0.1 }), /paramGroups\[0\]\.lr: expected a finite number ≥ 0, got -0\.1/],
    ['eps 0', group({ eps: 0 }), /eps: expected a finite number > 0, got 0/],
    ['a negative weight decay', group({ weightDecay: -1 }), /weightDecay: expected a finite number ≥ 0, got -1/],
    ['amsgrad "yes"', group({ amsgrad: 'yes' }), /amsgrad: expected true or false/],
    ['an unknown hyper-parameter', group({ momentum2: 1 }), /unknown hyper-parameter "momentum2"/],
    ['a momentum key AdamW does not have', group({ momentum: 0.9 }), /unknown hyper-parameter "momentum"; expected keys of AdamW/],
    ['__proto__ in a param group', protoGroup, /unknown hyper-parameter "__proto__"/],
    ['params of the wrong length', group({ params: [] }), /params: expected \d+ parameter indices/],
    ['a negative step', withMeta(good, 'optimizer', (o) => { (o as unknown as Groups).numbers['0']!.step = -1; return o; }), /numbers\["0"\]\.step: expected a step count \(integer ≥ 0\), got -1/],
    ['a fractional step', withMeta(good, 'optimizer', (o) => { (o as unknown as Groups).numbers['0']!.step = 1.5; return o; }), /step count/],
    ['a parameter index past the end', withMeta(good, 'optimizer', (o) => { (o as unknown as Groups).numbers['99'] = { step: 1 }; return o; }), /expected a parameter index in \[0, 4\), got "99"/],
    ['a scheduler lastEpoch of "2"', withMeta(good, 'scheduler', (o) => ({ ...o, lastEpoch: '2' })), /scheduler\.lastEpoch: expected a step count/],
    ['a generator state of strings', withMeta(good, 'generator', () => ['a', 1, 2, 3, 0, 0]), /generator: expected \[4 uint32 words/],
  ];
  for (const [label, file, re] of cases) {
    it(`refuses ${label}, naming the field, and leaves the optimizer untouched`, () => {
      const parts = checkpointParts();
      const lrBefore = parts.optimizer.paramGroups.map((g) => g.lr);
      const e = errorOf(() => loadCheckpoint(file, parts, { file: 'ckpt.safetensors' }));
      expect(e).toBeInstanceOf(SafetensorsError);
      expect(e.message).toMatch(/^loadCheckpoint: ckpt\.safetensors: __metadata__\./);
      expect(e.message).toMatch(re);
      expect(parts.optimizer.paramGroups.map((g) => g.lr)).toEqual(lrBefore);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('loads the unmodified checkpoint (the cases above differ from it in one field only)', () => {
    const parts = checkpointParts();
    expect(loadCheckpoint(good, parts).extra).toEqual({ progress: { step: 2, epoch: 0, batchIndex: 2 } });
    expect(parts.scheduler.lastEpoch).toBe(2);
  });

  it('refuses NaN or infinite weights unless nonFinite is "allow"', () => {
    const parts = checkpointParts();
    parts.model.fc.weight.assign(tensor([[NaN, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]));
    const bytes = saveCheckpoint({ model: parts.model });
    expect(() => loadCheckpoint(bytes, { model: checkpointParts().model })).toThrow(/tensor "model\.fc\.weight": expected finite values, got NaN at element 0/);
    const other = checkpointParts().model;
    loadCheckpoint(bytes, { model: other }, { nonFinite: 'allow' });
    expect(Number.isNaN(other.fc.weight.dataSync()[0])).toBe(true);
  });
});

/** 19 kinds of byte-level corruption of a real checkpoint (the review's count), each a SafetensorsError. */
function corruptions(good: Uint8Array): [string, Uint8Array][] {
  const { header, data } = splitFile(good);
  const text = JSON.stringify(header);
  const n = new DataView(good.buffer, good.byteOffset).getUint32(0, true);
  const flip = (i: number, mask = 0xff) => { const f = good.slice(); f[i]! ^= mask; return f; };
  const textEdit = (from: string, to: string) => joinFile(text.replace(from, to), data);
  const metaText = (key: string) => (header.__metadata__ as Record<string, string>)[key]!;
  const metaEdit = (key: string, cut: (s: string) => string) => {
    const h = JSON.parse(text) as { __metadata__: Record<string, string> };
    h.__metadata__[key] = cut(metaText(key));
    return joinFile(JSON.stringify(h), data);
  };
  const nanData = data.slice();
  new DataView(nanData.buffer).setUint32(0, 0x7fc00000, true);
  return [
    ['empty file', new Uint8Array()],
    ['cut inside the length field', good.slice(0, 5)],
    ['cut inside the header', good.slice(0, 8 + Math.floor(n / 2))],
    ['cut inside the data', good.slice(0, good.length - 3)],
    ['length field past the end', (() => { const f = good.slice(); new DataView(f.buffer).setUint32(0, good.length, true); return f; })()],
    ['high word of the length set', flip(7, 0x01)],
    ['header not UTF-8', flip(9, 0x80)],
    ['header JSON broken (brace removed)', joinFile(text.slice(1), data)],
    ['header a JSON array', joinFile(`[${text}]`, data)],
    ['dtype renamed', textEdit('"F32"', '"F31"')],
    ['shape turned into a string', joinFile(text.replace(/"shape":\[(\d+)/, '"shape":["$1"'), data)],
    ['data_offsets reversed', joinFile(text.replace(/"data_offsets":\[(\d+),(\d+)\]/, '"data_offsets":[$2,$1]'), data)],
    ['a tensor renamed outside model./optimizer.', textEdit('"model.', '"modek.')],
    ['format renamed', textEdit('qkv-checkpoint/1', 'qkv-checkpoint/2')],
    ['optimizer JSON cut', metaEdit('optimizer', (s) => s.slice(0, -2))],
    ['scheduler JSON not an object', metaEdit('scheduler', () => '[1,2]')],
    ['generator JSON a string', metaEdit('generator', () => '"seed"')],
    ['extra JSON broken', metaEdit('extra', (s) => s.replace('{', '{{'))],
    ['a NaN written into the weights', joinFile(text, nanData)],
  ];
}

describe('loadCheckpoint on byte-level corruption', () => {
  const list = corruptions(seedCheckpoint());
  it('has the 19 kinds', () => expect(list.length).toBe(19));
  for (const [label, file] of list) {
    it(`gives "${label}" a SafetensorsError naming the file, never a raw SyntaxError or TypeError`, () => {
      const e = errorOf(() => loadCheckpoint(file, checkpointParts(), { file: 'ckpt.safetensors' }));
      expect(e, e.stack).toBeInstanceOf(SafetensorsError);
      expect(e.message).toMatch(/^(loadCheckpoint|safetensors\.load): ckpt\.safetensors: /);
    });
  }
});
