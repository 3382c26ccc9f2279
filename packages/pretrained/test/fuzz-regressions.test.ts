// Bugs the fuzz run found (test/fuzz), each pinned: the failure is a PretrainedError naming the file
// and the field, never a raw RangeError, another package's error class, or a message without a file.
import { describe, expect, it } from 'vitest';
import { TokenizerError } from '@qkv/tokenizer';
import { HubConfig, PretrainedError, fromPretrained } from '../src/index.js';
import { buildFromConfig } from '../src/load.js';
import { asFiles, folderBytes, withConfig } from './memory.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const rejection = async (files: File[]): Promise<unknown> => fromPretrained(files).then(() => null, (err: unknown) => err);

describe('regressions found by the fuzz run', () => {
  it('a config.json too large to allocate (n_embd 65536) is a PretrainedError naming config.json, not a raw RangeError', async () => {
    const config = new HubConfig('config.json', { ...JSON.parse(new TextDecoder().decode(folderBytes('gpt2').get('config.json'))) as object, n_embd: 65_536 });
    expect(() => buildFromConfig(config)).toThrow(/^fromPretrained: config\.json describes a GPT2LMHeadModel too large to allocate here/);
    const err = await rejection(withConfig('gpt2', (c) => { c.n_embd = 65_536; }));
    expect(err).toBeInstanceOf(PretrainedError);
  });

  it('sizes that need more parameters than the checkpoint holds are refused before the model is built (hidden_size 16384 took 8–15 s and GBs)', async () => {
    // (86 + 32 + 2)·16384 embeddings + 2 layers · (4·16384² + 2·16384·64) = 2,153,644,032
    const start = performance.now();
    await expect(fromPretrained(withConfig('bert-cls', (c) => { c.hidden_size = 16_384; }))).rejects.toThrow(/^fromPretrained: config\.json sizes \(vocab_size 86, max_position_embeddings 32, hidden_size 16384, num_hidden_layers 2, intermediate_size 64\) need at least 2,153,644,032 parameters, but the checkpoint holds 22,147 values$/);
    expect(performance.now() - start).toBeLessThan(1000);
    await expect(fromPretrained(withConfig('gpt2', (c) => { c.n_embd = 65_536; }))).rejects.toThrow(/^fromPretrained: config\.json sizes \(vocab_size 297, n_positions 64, n_embd 65536, n_layer 2\) need at least/);
    await expect(fromPretrained(withConfig('vit-cls', (c) => { c.image_size = 16_000; }))).rejects.toThrow(/^fromPretrained: config\.json sizes \(image_size 16000, patch_size 4, .*\) need at least/);
  });

  it('a shard index entry that is not a plain file name names model.safetensors.index.json, its weight_map and the tensor', async () => {
    const files = folderBytes('bert-mlm');
    const index = JSON.parse(new TextDecoder().decode(files.get('model.safetensors.index.json'))) as { weight_map: Record<string, string> };
    files.set('model.safetensors.index.json', utf8(JSON.stringify({ weight_map: { ...index.weight_map, 'bert.pooler.x': '/etc/passwd' } })));
    await expect(fromPretrained(asFiles(files))).rejects.toThrow(/fromPretrained: '\/etc\/passwd' is not a plain file name of a Hub folder \(model\.safetensors\.index\.json field 'weight_map', tensor 'bert\.pooler\.x'\)/);
  });

  it.each([
    ['vocab.txt without [UNK]', 'bert-base', 'vocab.txt', 'hello\nworld\n', /^fromPretrained: vocab\.txt: fromBertVocab: .*\[UNK\]/],
    ['merges.txt with a line of one token', 'gpt2', 'merges.txt', '#version: 0.2\nab\n', /^fromPretrained: (merges\.txt|vocab\.json \+ merges\.txt): fromGpt2Files: .*merges\.txt line/],
    ['vocab.json missing the tokens merges.txt uses', 'gpt2', 'vocab.json', '{"a": 0}', /^fromPretrained: vocab\.json \+ merges\.txt: fromGpt2Files: expected merges\.txt merge 1 to use vocabulary tokens/],
  ])('a bad tokenizer file (%s) is a PretrainedError naming the file, wrapping the TokenizerError', async (_what, folder, file, body, message) => {
    const files = folderBytes(folder);
    files.set(file, utf8(body));
    const err = await rejection(asFiles(files));
    expect(err).toBeInstanceOf(PretrainedError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).cause).toBeInstanceOf(TokenizerError);
  });

  it('a checkpoint without a needed tensor names its file', async () => {
    const files = folderBytes('bert-mlm');
    files.set('config.json', utf8(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(files.get('config.json'))) as object, architectures: ['BertModel'] })));
    await expect(fromPretrained(asFiles(files))).rejects.toThrow(/fromPretrained: the checkpoint has no tensor 'pooler\.dense\.weight' .* \(checkpoint: model-00001-of-00002\.safetensors, model-00002-of-00002\.safetensors\)/);
  });

  it('a preprocessor_config.json whose size differs from config.json image_size is refused by name (ViT position embeddings fix the size)', async () => {
    const files = folderBytes('vit-cls');
    files.set('preprocessor_config.json', utf8(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(files.get('preprocessor_config.json'))) as object, size: { height: 16_384, width: 16_384 } })));
    await expect(fromPretrained(asFiles(files))).rejects.toThrow(/^fromPretrained: preprocessor_config\.json field 'size' resizes to 16384 × 16384, but config\.json's image_size is 16$/);
    // the seed-2027 fuzz run's hang: `size: 16384` as a number, then preprocess of a 20×12 image to 16384² pixels
    files.set('preprocessor_config.json', utf8(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(folderBytes('vit-cls').get('preprocessor_config.json'))) as object, size: 16_384 })));
    await expect(fromPretrained(asFiles(files))).rejects.toThrow(/preprocessor_config\.json field 'size' resizes to 16384 × 16384, but config\.json's image_size is 16$/);
    files.set('preprocessor_config.json', utf8(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(folderBytes('vit-cls').get('preprocessor_config.json'))) as object, do_resize: false, size: 99 })));
    const { imageProcessor } = await fromPretrained(asFiles(files));
    expect(imageProcessor?.doResize).toBe(false);
  });
});
