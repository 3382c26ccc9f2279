// What `qkv predict` shows for the new recipes, on tiny untrained models: the output's form, the
// attention's shape, sampling that is seeded and runs past the context, and the image readers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '@qkv/datasets';
import { UsageError } from '../src/errors.js';
import { readGreyImage } from '../src/image/read-image.js';
import { binaryScores } from '../src/recipes/binary-scores.js';
import { tempDir, tinySession, useFastBackend } from './helpers.js';

beforeAll(useFastBackend);

const base = { seed: 0, epochs: 1, batchSize: 8, lr: 1e-3, limit: 16 };

describe('vit-mnist predict', () => {
  it('classifies test:17 and draws the CLS attention over the 4×4 patches', async () => {
    const { session } = await tinySession('vit-mnist', { ...base, set: { dModel: '16', depth: '1', mlp: '32' } });
    session.model.eval();
    const p = session.predict('test:17');
    const mnist = await loadMnist({ seed: 0 });
    expect(p.output).toMatch(new RegExp(`^\\d .*; label ${mnist.test.labels[17]}\\n`));
    expect(p.attention!.weights).toHaveLength(4);
    expect(p.attention!.weights.every((row) => row.length === 4)).toBe(true);
    // CLS attends to itself and the 16 patches: the patches' share is at most 1
    const share = p.attention!.weights.flat().reduce((a, b) => a + b, 0);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual(1 + 1e-5);
    expect(() => session.predict('test:1000')).toThrow(new UsageError('vit-mnist: test has 1000 images, got index 1000'));
  });

  it('reads the same digit from a PGM file as from the split', async () => {
    const { session } = await tinySession('vit-mnist', { ...base, set: { dModel: '16', depth: '1', mlp: '32' } });
    session.model.eval();
    const mnist = await loadMnist({ seed: 0 });
    const pixels = Array.from(mnist.test.images.subarray(17 * 784, 18 * 784), (v) => Math.round(v * 255));
    const file = join(tempDir('pgm'), 'digit.pgm');
    writeFileSync(file, `P2\n# test:17\n28 28\n255\n${pixels.join(' ')}\n`);
    const fromFile = session.predict(file).details as { probabilities: number[] };
    const fromSplit = session.predict('test:17').details as { probabilities: number[] };
    fromFile.probabilities.forEach((p, i) => expect(p).toBeCloseTo(fromSplit.probabilities[i]!, 2));
  });
});

describe('readGreyImage', () => {
  it('reads P2, P5 and JSON to the same [0, 1] pixels', () => {
    const dir = tempDir('img');
    const values = Array.from({ length: 16 }, (_, i) => i * 17); // 0…255
    writeFileSync(join(dir, 'a.pgm'), `P2 4 4 255 ${values.join(' ')}`);
    writeFileSync(join(dir, 'b.pgm'), Buffer.concat([Buffer.from('P5\n4 4\n255\n'), Buffer.from(values)]));
    writeFileSync(join(dir, 'c.json'), JSON.stringify([values.slice(0, 8), values.slice(8)]));
    const expected = values.map((v) => v / 255);
    for (const f of ['a.pgm', 'b.pgm', 'c.json']) Array.from(readGreyImage(join(dir, f), 4)).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(() => readGreyImage(join(dir, 'a.pgm'), 28)).toThrow(/must hold 28×28 = 784 pixels, got 16/);
  });
});

describe('char-gpt predict', () => {
  it('continues the prompt, reproducibly for a seed, past the context length', async () => {
    const { session } = await tinySession('char-gpt', { ...base, set: { blockSize: '16', nEmbd: '16', nLayer: '1', nHead: '2' } });
    session.model.eval();
    const options = { length: '40', temperature: '1', topK: '5', sampleSeed: '7' };
    const a = session.predict('The jury said', options).output;
    expect(a.startsWith('The jury said')).toBe(true);
    expect([...a].length).toBe('The jury said'.length + 40);
    expect(session.predict('The jury said', options).output).toBe(a);
    expect(session.predict('The jury said', { ...options, sampleSeed: '8' }).output).not.toBe(a);
  });

  it('reports its perplexity beside the bigram baseline on the same characters', async () => {
    const { session } = await tinySession('char-gpt', { ...base, set: { blockSize: '16', nEmbd: '16', nLayer: '1', nHead: '2' } });
    session.model.eval();
    const m = session.evaluate('test', 3);
    // an untrained model is near uniform over the V characters; the bigram model is far better
    expect(m.perplexity).toBeGreaterThan(m.bigramPerplexity!);
    expect(m.bigramPerplexity).toBeGreaterThan(1);
  });
});

describe('spam-classifier predict', () => {
  it('says spam or ham with a probability and draws the tokens’ self-attention', async () => {
    const { session } = await tinySession('spam-classifier', { ...base, set: { vocab: '300', maxTokens: '32', dModel: '16', layers: '1', ff: '32' } });
    session.model.eval();
    const p = session.predict('FREE money!!! Click here to claim your prize');
    expect(p.output).toMatch(/^(spam|ham) {2}\(p\(spam\) = 0\.\d{3}, \d+ tokens\)$/);
    const n = p.attention!.rowLabels.length;
    expect(p.attention!.weights).toHaveLength(n);
    p.attention!.weights.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4));
    // an empty e-mail is refused, not classified (it used to come out as spam, p = 0.514)
    for (const empty of ['', '   \n\t ']) expect(() => session.predict(empty)).toThrow('predict spam-classifier: the text is empty');
  });

  it('keeps the head and the tail of a long e-mail (by default a quarter of maxTokens from the end), and rejects a tail as long as maxTokens', async () => {
    const set = { vocab: '300', maxTokens: '32', dModel: '16', layers: '1', ff: '32' };
    const text = `${'hello there '.repeat(60)}unsubscribe from this list`;
    const shown = async (extra: Record<string, string>) => {
      const { session } = await tinySession('spam-classifier', { ...base, set: { ...set, ...extra } });
      const p = session.predict(text);
      expect(p.output).toContain(', 32 tokens)');
      return p.attention!.rowLabels.join('').replace(/·/g, ' ');
    };
    const headOnly = await shown({ tailTokens: '0' });
    expect(headOnly.startsWith('hello there')).toBe(true);
    expect(headOnly).not.toContain('list');
    const byDefault = await shown({}); // tailTokens = ⌊32 / 4⌋ = 8
    expect(byDefault.startsWith('hello there')).toBe(true);
    expect(byDefault.endsWith('list')).toBe(true);
    const headTail = await shown({ tailTokens: '12' });
    expect(headTail.startsWith('hello there')).toBe(true);
    expect(headTail.endsWith('be from this list')).toBe(true); // the last 12 tokens of a 300-token BPE
    await expect(tinySession('spam-classifier', { ...base, set: { ...set, tailTokens: '32' } })).rejects.toThrow(/^--set tailTokens must be an integer in \[0, maxTokens\), got 32$/);
  });
});

describe('binaryScores', () => {
  it('matches counts done by hand (spam = 1 is the positive class)', () => {
    // tp = 2 (rows 0, 3), fp = 1 (row 2), fn = 1 (row 1), tn = 1 (row 4)
    expect(binaryScores([1, 0, 1, 1, 0], [1, 1, 0, 1, 0])).toEqual({ accuracy: 3 / 5, precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
    expect(binaryScores([0, 0], [0, 0])).toEqual({ accuracy: 1, precision: 0, recall: 0, f1: 0 });
  });
});
