// `qkv generate`, `qkv inspect` and `qkv convert` end to end (dist/cli.js) on the tiny Hub folders
// of @qkv/pretrained, whose expected.json holds PyTorch's logits and attention probabilities
// (tooling/reference-fixtures/pretrained), and on the shipped char-gpt and its Hub copy.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '@qkv/wasm-kernels';
import { load } from '@qkv/nn';
import { fromPretrained } from '@qkv/pretrained/node';
import { setBackend, tensor } from '@qkv/tensor-core';
import type { GPT } from '@qkv/transformer';
import { runQkv, tempDir } from './helpers.js';

const fixtures = fileURLToPath(new URL('../../../packages/pretrained/fixtures/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const charGpt = fileURLToPath(new URL('../models/char-gpt/', import.meta.url));
const charGptHub = fileURLToPath(new URL('../../demo/public/models/char-gpt-hub/', import.meta.url));

const qkv = (...argv: string[]) => runQkv(argv);

/** A reference array of expected.json: { shape, data } row-major. */
interface Ref {
  shape: number[];
  data: number[];
}
const expected = (name: string) => JSON.parse(readFileSync(join(fixture(name), 'expected.json'), 'utf8')) as Record<string, unknown>;

/** Row i of the [T, T] attention of batch b, head h in a reference [B, H, T, T]. */
function refRow(a: Ref, b: number, h: number, i: number): number[] {
  const [, H, T] = a.shape as [number, number, number, number];
  const at = ((b * H + h) * T + i) * T;
  return a.data.slice(at, at + T);
}

/** The `q i 'x' → k j 'y' w` lines of a heatmap's row maxima: [i, j, w], 1-based. */
function rowMaxima(stdout: string): [number, number, number][] {
  return [...stdout.matchAll(/^ {2}q +(\d+) '.*' → k +(\d+) '.*' (\d\.\d{4})$/gm)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
}

/** Checks each printed row maximum against the reference row: the key's weight is the row's largest (ties within 1e-4) and the weight matches. */
function expectRowMaxima(stdout: string, row: (i: number) => number[], T: number): void {
  const maxima = rowMaxima(stdout);
  expect(maxima.map(([i]) => i)).toEqual(Array.from({ length: T }, (_, i) => i + 1));
  for (const [i, j, w] of maxima) {
    const ref = row(i - 1);
    const max = Math.max(...ref);
    expect(Math.abs(ref[j - 1]! - max)).toBeLessThan(1e-4);
    expect(Math.abs(w - max)).toBeLessThan(1e-4);
  }
}

const argmax = (xs: readonly number[]) => xs.reduce((best, x, i) => (x > xs[best]! ? i : best), 0);

describe('qkv generate', () => {
  const gptIds = (expected('gpt2').input_ids as number[][])[0]!; // 12 tokens

  it('greedy: the first new token is the argmax of PyTorch\'s logits, and all equal GPT.generate through the library', async () => {
    const { stdout, code } = await qkv('generate', '--model', fixture('gpt2'), '--ids', gptIds.join(','), '--max-new-tokens', '8', '--greedy', '--quiet');
    expect(code).toBe(0);
    const printed = stdout.trim().split(/\s+/).map(Number);
    expect(printed.slice(0, 12)).toEqual(gptIds);
    const logits = expected('gpt2').logits as Ref; // [2, 12, V]
    const V = logits.shape[2]!;
    expect(printed[12]).toBe(argmax(logits.data.slice(11 * V, 12 * V)));
    await setBackend('cpu');
    const { model } = await fromPretrained<GPT>(fixture('gpt2'), { tokenizer: false });
    expect(printed).toEqual(model.generate(gptIds, { maxNewTokens: 8, eosId: 296 }));
  }, 60_000);

  it('past the 64-token context it slides the window as nanoGPT crops (checked against a cache-free argmax loop)', async () => {
    const { stdout, stderr, code } = await qkv('generate', '--model', fixture('gpt2'), '--ids', gptIds.join(','), '--max-new-tokens', '60', '--greedy');
    expect(code).toBe(0);
    expect(stderr).toMatch(/generating up to 60 tokens \(greedy\)/);
    const printed = stdout.trim().split(/\s+/).map(Number);
    await setBackend('cpu');
    const { model } = await fromPretrained<GPT>(fixture('gpt2'), { tokenizer: false });
    const ids = [...gptIds];
    for (let step = 0; step < 60; step++) {
      const context = ids.slice(-64);
      const logits = model.forward(tensor(Int32Array.from(context), { shape: [1, context.length], dtype: 'int32' })).dataSync();
      const V = model.config.vocabSize;
      const next = argmax(Array.from(logits.subarray((context.length - 1) * V)));
      ids.push(next);
      if (next === 296) break; // eos_token_id
    }
    expect(printed.length).toBeGreaterThan(64);
    expect(printed).toEqual(ids);
  }, 60_000);

  it('streams the decoded text of a sampled continuation, reproducibly for a seed, as GPT.generate samples', async () => {
    const args = ['generate', '--model', charGptHub, '--prompt', 'The jury said', '--max-new-tokens', '40', '--top-k', '10', '--seed', '3', '--quiet'];
    const first = await qkv(...args);
    const second = await qkv(...args);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    await setBackend('cpu');
    const { model, tokenizer } = await fromPretrained<GPT>(charGptHub);
    const prompt = tokenizer!.encode('The jury said');
    const ids = model.generate(prompt, { maxNewTokens: 40, topK: 10, seed: 3, eosId: 2 });
    expect(first.stdout).toBe(`${tokenizer!.decode(prompt)}${tokenizer!.decode(ids.slice(prompt.length), { skipSpecialTokens: true })}\n`);
    expect(first.stdout.startsWith('The jury said')).toBe(true);
  }, 60_000);

  it('refuses a BERT folder, a folder without a tokenizer, and a missing folder with one line and exit code 2', async () => {
    const bert = await qkv('generate', '--model', fixture('bert-mlm'), '--prompt', 'the cat');
    expect(bert.code).toBe(2);
    expect(bert.stderr.split('\n')[0]).toMatch(/^qkv: generate: .* holds a BERT \(BertForMaskedLM\), an encoder; generate needs a causal language model .* qkv inspect/);
    expect(bert.stderr).toMatch(/\n\nusage: qkv generate --model DIR --prompt TEXT/); // the command's own usage after the line
    const bare = tempDir('no-tokenizer');
    for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(fixture('gpt2'), f), join(bare, f));
    const noTok = await qkv('generate', '--model', bare, '--prompt', 'hello');
    expect(noTok.code).toBe(2);
    expect(noTok.stderr.split('\n')[0]).toMatch(/has no tokenizer \(tokenizer\.json, or vocab\.json \+ merges\.txt\).*--ids/);
    const withIds = await qkv('generate', '--model', bare, '--ids', '1,2,3', '--max-new-tokens', '2', '--greedy', '--quiet');
    expect(withIds.code).toBe(0);
    expect(withIds.stdout.trim().split(' ').slice(0, 3)).toEqual(['1', '2', '3']);
    const missing = await qkv('generate', '--model', join(bare, 'nope'), '--prompt', 'x');
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toMatch(/^qkv: generate: --model must be a folder, got '.*nope' \(no such path\)$/);
    const badIds = await qkv('generate', '--model', bare, '--ids', '1,x');
    expect(badIds.stderr.split('\n')[0]).toMatch(/--ids must be comma-separated token ids from 0 to 296, got '1,x'/);
  }, 60_000);
});

describe('qkv inspect', () => {
  it('GPT-2 --layer 1 --head 1: a heatmap whose row maxima are PyTorch\'s, and the next token is its logits\' argmax', async () => {
    const ref = expected('gpt2');
    const ids = (ref.input_ids as number[][])[0]!;
    const { stdout, code } = await qkv('inspect', '--model', fixture('gpt2'), '--ids', ids.join(','), '--layer', '1', '--head', '1', '--quiet');
    expect(code).toBe(0);
    expect(stdout).toMatch(/layer 1, head 1: queries down, keys across/);
    expect(stdout).toMatch(/[░▒▓█]/); // the shaded heatmap (NO_COLOR)
    const attentions = ref.attentions as Ref[];
    expectRowMaxima(stdout, (i) => refRow(attentions[0]!, 0, 0, i), 12);
    const logits = ref.logits as Ref;
    const V = logits.shape[2]!;
    const next = argmax(logits.data.slice(11 * V, 12 * V));
    expect(stdout).toMatch(new RegExp(`next token after '99': '${next}' `));
    // the last layer's last head too
    const last = await qkv('inspect', '--model', fixture('gpt2'), '--ids', ids.join(','), '--layer', '2', '--head', '4', '--quiet');
    expectRowMaxima(last.stdout, (i) => refRow(attentions[1]!, 0, 3, i), 12);
  }, 60_000);

  it('the summary of all heads: mean row entropies equal those of PyTorch\'s probabilities', async () => {
    const ref = expected('gpt2');
    const ids = (ref.input_ids as number[][])[0]!;
    const { stdout, code } = await qkv('inspect', '--model', fixture('gpt2'), '--ids', ids.join(','), '--quiet');
    expect(code).toBe(0);
    const attentions = ref.attentions as Ref[];
    for (const l of [0, 1]) {
      const printed = stdout.match(new RegExp(`^layer ${l + 1} +([\\d. ]+)$`, 'm'))![1]!.trim().split(/\s+/).map(Number);
      const want = [0, 1, 2, 3].map((h) => Array.from({ length: 12 }, (_, i) => -refRow(attentions[l]!, 0, h, i).reduce((s, p) => (p > 0 ? s + p * Math.log2(p) : s), 0)).reduce((a, b) => a + b) / 12);
      printed.forEach((e, h) => expect(Math.abs(e - want[h]!)).toBeLessThan(0.006));
    }
    expect(stdout).toMatch(/the key query 12 '99' attends to most/);
  }, 60_000);

  it('BERT masked LM with --text: [CLS] … [SEP] tokens, PyTorch\'s row maxima, and the [MASK] fill is its logits\' argmax', async () => {
    const ref = expected('bert-mlm');
    const plain = (ref.cases as Record<string, { attentions: Ref[]; logits: Ref }>).plain!;
    const { stdout, code } = await qkv('inspect', '--model', fixture('bert-mlm'), '--text', 'the cat sat on the [MASK].', '--layer', '2', '--head', '3', '--quiet');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^9 tokens: '\[CLS\]' 'the' 'cat' 'sat' 'on' 'the' '\[MASK\]' '\.' '\[SEP\]'$/m);
    expectRowMaxima(stdout, (i) => refRow(plain.attentions[1]!, 0, 2, i), 9);
    const V = plain.logits.shape[2]!;
    const row = plain.logits.data.slice(6 * V, 7 * V);
    const max = Math.max(...row);
    const p = 1 / row.reduce((s, x) => s + Math.exp(x - max), 0);
    const vocab = readFileSync(join(fixture('bert-mlm'), 'vocab.txt'), 'utf8').split('\n');
    const m = stdout.match(/^\[MASK\] at 7: '([^']+)' (\d\.\d{4})/m)!;
    expect(m[1]).toBe(vocab[argmax(row)]);
    expect(Math.abs(Number(m[2]) - p)).toBeLessThan(1e-4);
  }, 60_000);

  it('ViT with --image (PPM): PyTorch\'s row maxima and its top label', async () => {
    const ref = expected('vit-cls');
    const image = (ref.images_hwc_uint8 as number[][][][])[0]!;
    const dir = tempDir('vit');
    const file = join(dir, 'image.ppm');
    writeFileSync(file, Buffer.concat([Buffer.from(`P6\n${image[0]!.length} ${image.length}\n255\n`), Buffer.from(image.flat(2))]));
    const { stdout, code } = await qkv('inspect', '--model', fixture('vit-cls'), '--image', file, '--layer', '2', '--head', '1', '--quiet');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^17 positions \(CLS \+ patches row,column\): 'CLS' '1,1'/m);
    expectRowMaxima(stdout, (i) => refRow((ref.attentions as Ref[])[1]!, 0, 0, i), 17);
    const logits = (ref.logits as Ref).data.slice(0, 5);
    expect(stdout).toMatch(new RegExp(`^labels: 'class_${argmax(logits)}' `, 'm'));
  }, 60_000);

  it('refuses a layer or head out of range, --layer without --head, and ViT without --image (exit code 2)', async () => {
    const ids = ['--ids', '1,2,3'];
    const layer = await qkv('inspect', '--model', fixture('gpt2'), ...ids, '--layer', '3', '--head', '1');
    expect(layer.code).toBe(2);
    expect(layer.stderr.split('\n')[0]).toBe("qkv: inspect: --layer must be an integer from 1 to 2, got '3'");
    const head = await qkv('inspect', '--model', fixture('gpt2'), ...ids, '--layer', '1', '--head', '0');
    expect(head.stderr.split('\n')[0]).toBe("qkv: inspect: --head must be an integer from 1 to 4, got '0'");
    const alone = await qkv('inspect', '--model', fixture('gpt2'), ...ids, '--layer', '1');
    expect(alone.stderr.split('\n')[0]).toMatch(/give --layer and --head together/);
    const long = await qkv('inspect', '--model', fixture('bert-mlm'), '--text', 'the '.repeat(40), '--quiet');
    expect(long.code).toBe(1); // input the model cannot take: one line, no usage
    expect(long.stderr).toBe("qkv: inspect: the input has 42 tokens, more than the model's 32 positions\n");
    const vit = await qkv('inspect', '--model', fixture('vit-base'), '--text', 'x');
    expect(vit.code).toBe(2);
    expect(vit.stderr.split('\n')[0]).toMatch(/is a ViT; give --image FILE/);
  }, 60_000);
});

describe('qkv convert', () => {
  const dir = tempDir('convert');
  const hub = join(dir, 'hub');
  const back = join(dir, 'back');

  it('char-gpt → Hub writes the same folder as the demo ships, and back (--f16) the shipped bytes exactly', async () => {
    const a = await qkv('convert', '--from', 'char-gpt', '--to', hub);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/260 tokens: the 89 of the char tokenizer, then 171 bytes/);
    expect(a.stdout).toMatch(/logits of the 89 trained tokens are within 0\.0e\+0/);
    for (const f of ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt']) expect(readFileSync(join(hub, f)).equals(readFileSync(join(charGptHub, f)))).toBe(true);
    const b = await qkv('convert', '--from', hub, '--to', back, '--f16');
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/89 characters \(171 appended bytes dropped\)/);
    expect(readFileSync(join(back, 'model.safetensors')).equals(readFileSync(join(charGpt, 'model.safetensors')))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(back, 'manifest.json'), 'utf8')) as { recipe: string; tokenizer: unknown; model: unknown };
    const shipped = JSON.parse(readFileSync(join(charGpt, 'manifest.json'), 'utf8')) as { tokenizer: unknown; model: unknown };
    expect(manifest.recipe).toBe('char-gpt');
    expect(manifest.tokenizer).toEqual(shipped.tokenizer);
    expect(manifest.model).toEqual(shipped.model);
  }, 120_000);

  it('back to qkv in F32: bit-identical weights, and qkv predict / eval give the shipped model\'s output', async () => {
    const f32 = join(dir, 'f32');
    expect((await qkv('convert', '--from', charGptHub, '--to', f32)).code).toBe(0);
    const mine = load(new Uint8Array(readFileSync(join(f32, 'model.safetensors')))).tensors;
    const theirs = load(new Uint8Array(readFileSync(join(charGpt, 'model.safetensors')))).tensors;
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    for (const [name, t] of Object.entries(theirs)) expect(Buffer.from(mine[name]!.dataSync().buffer).equals(Buffer.from(t.dataSync().buffer))).toBe(true);
    const checkpoint = join(f32, 'model.safetensors');
    const predict = ['--set', 'length=60', '--quiet'];
    const [p1, p2] = [await qkv('predict', '--model', 'char-gpt', 'The jury', ...predict), await qkv('predict', 'char-gpt', 'The jury', '--checkpoint', checkpoint, ...predict)];
    expect(p1.code).toBe(0);
    expect(p2.stdout).toBe(p1.stdout);
    const [e1, e2] = [await qkv('eval', '--model', 'char-gpt', '--test-limit', '10', '--quiet'), await qkv('eval', 'char-gpt', '--checkpoint', checkpoint, '--test-limit', '10', '--quiet')];
    expect(e1.code).toBe(0);
    expect(e2.stdout).toBe(e1.stdout);
    expect(e1.stdout).toMatch(/"perplexity": \d/);
  }, 180_000);

  it('a qkv train checkpoint with its own settings goes to Hub and back, and qkv eval scores both the same', async () => {
    const runDir = join(dir, 'run');
    const train = await qkv('train', 'char-gpt', '--max-steps', '2', '--set', 'nLayer=1', '--set', 'nEmbd=16', '--set', 'nHead=2', '--set', 'blockSize=16', '--batch-size', '4', '--test-limit', '2', '--eval-limit', '2', '--quiet', '--out', runDir);
    expect(train.code).toBe(0);
    expect((await qkv('convert', '--from', join(runDir, 'checkpoint.safetensors'), '--to', join(runDir, 'hub'))).code).toBe(0);
    const config = JSON.parse(readFileSync(join(runDir, 'hub', 'config.json'), 'utf8')) as Record<string, number>;
    expect([config.n_layer, config.n_embd, config.n_head, config.n_positions, config.vocab_size]).toEqual([1, 16, 2, 16, 260]);
    expect((await qkv('convert', '--from', join(runDir, 'hub'), '--to', join(runDir, 'back'), '--quiet')).code).toBe(0);
    const [a, b] = [await qkv('eval', 'char-gpt', '--checkpoint', join(runDir, 'checkpoint.safetensors'), '--test-limit', '3'), await qkv('eval', 'char-gpt', '--checkpoint', join(runDir, 'back', 'model.safetensors'), '--test-limit', '3')];
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  }, 120_000);

  it('Hub → Hub (--format hub): a sharded BF16 BERT and an F16 ViT become one F32 model.safetensors with the same values', async () => {
    await setBackend('cpu');
    for (const name of ['bert-mlm', 'vit-cls']) {
      const out = join(dir, `${name}-f32`);
      const r = await qkv('convert', '--from', fixture(name), '--to', out, '--format', 'hub', '--quiet');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/tensors bit-identical/);
      expect(existsSync(join(out, 'model.safetensors.index.json'))).toBe(false);
      const header = readFileSync(join(out, 'model.safetensors'));
      expect(header.toString('latin1', 8, 8 + Number(header.readBigUInt64LE(0)))).not.toMatch(/"(F16|BF16)"/);
      const [a, b] = [await fromPretrained(fixture(name)), await fromPretrained(out)];
      for (const [key, t] of Object.entries(a.model.stateDict())) expect(Array.from(b.model.stateDict()[key]!.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    expect(existsSync(join(dir, 'vit-cls-f32', 'preprocessor_config.json'))).toBe(true);
    expect(existsSync(join(dir, 'bert-mlm-f32', 'vocab.txt'))).toBe(true);
    const labels = (name: string) => (JSON.parse(readFileSync(join(name, 'config.json'), 'utf8')) as { id2label?: unknown }).id2label;
    expect(labels(join(dir, 'vit-cls-f32'))).toEqual(labels(fixture('vit-cls')));
  }, 120_000);

  it('Hub → Hub --f16: float16 weights (torch_dtype float16), each within float16\'s rounding of the F32 original', async () => {
    await setBackend('cpu');
    const out = join(dir, 'gpt2-f16');
    expect((await qkv('convert', '--from', fixture('gpt2'), '--to', out, '--format', 'hub', '--f16', '--quiet')).code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { torch_dtype: string }).torch_dtype).toBe('float16');
    const header = readFileSync(join(out, 'model.safetensors'));
    expect(header.toString('latin1', 8, 8 + Number(header.readBigUInt64LE(0)))).not.toMatch(/"F32"/);
    const [a, b] = [await fromPretrained(fixture('gpt2')), await fromPretrained(out)];
    expect(b.tokenizer!.encode('The attention')).toEqual(a.tokenizer!.encode('The attention'));
    for (const [key, t] of Object.entries(a.model.stateDict())) {
      const want = t.dataSync();
      b.model.stateDict()[key]!.dataSync().forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThanOrEqual(Math.abs(want[i]!) * 2 ** -11 + 2 ** -24));
    }
  }, 60_000);

  it('refuses what has no conversion, and an occupied --to, with one line and exit code 2', async () => {
    const g2p = await qkv('convert', '--from', 'g2p-gru', '--to', join(dir, 'g2p'));
    expect(g2p.code).toBe(2);
    expect(g2p.stderr.split('\n')[0]).toMatch(/holds a g2p-gru model; only a qkv GPT with a char tokenizer \(char-gpt\) has a Hub \(GPT-2\) layout/);
    const bpe = await qkv('convert', '--from', fixture('gpt2'), '--to', join(dir, 'bpe'));
    expect(bpe.code).toBe(2);
    expect(bpe.stderr.split('\n')[0]).toMatch(/merges\.txt has \d+ merges, so the tokenizer is subword BPE.*--format hub/);
    const bert = await qkv('convert', '--from', fixture('bert-base'), '--to', join(dir, 'bert'));
    expect(bert.stderr.split('\n')[0]).toMatch(/model_type 'bert'; qkv's recipes hold no BERT model.*--format hub/);
    mkdirSync(join(dir, 'busy'), { recursive: true });
    writeFileSync(join(dir, 'busy', 'config.json'), '{}');
    const busy = await qkv('convert', '--from', 'char-gpt', '--to', join(dir, 'busy'));
    expect(busy.code).toBe(2);
    expect(busy.stderr.split('\n')[0]).toBe(`qkv: convert: --to ${join(dir, 'busy')} already holds config.json; add --force to overwrite`);
    const format = await qkv('convert', '--from', 'char-gpt', '--to', join(dir, 'x'), '--format', 'onnx');
    expect(format.stderr.split('\n')[0]).toBe("qkv: convert: --format must be hub or qkv, got 'onnx'");
  }, 60_000);

  it('help names the conversions that exist', async () => {
    const { stdout, code } = await qkv('convert', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/qkv char-gpt → Hub GPT-2/);
    expect(stdout).toMatch(/Hub GPT-2 → qkv char-gpt/);
    expect(stdout).toMatch(/Hub → Hub \(--format hub\)/);
    expect((await qkv('help')).stdout).toMatch(/generate --model DIR --prompt TEXT[\s\S]*inspect --model DIR --text TEXT[\s\S]*convert --from SRC --to DIR/);
  }, 30_000);
});
