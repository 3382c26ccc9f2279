// Bad folders get clear errors that name the public function, the file and the field or tensor —
// never a silently wrong model.
import { describe, expect, it } from 'vitest';
import { fromPretrained } from '../src/index.js';
import { asFiles, folderBytes, withConfig } from './memory.js';

const open = (files: File[]) => fromPretrained(files);

describe('config.json', () => {
  it.each([
    ['an unknown model_type', 'gpt2', (c: Record<string, unknown>) => { c.model_type = 'llama'; }, /fromPretrained: config\.json field 'model_type' is 'llama', which qkv does not open \(it opens gpt2, bert, vit\)/],
    ['an unsupported architecture', 'gpt2', (c: Record<string, unknown>) => { c.architectures = ['GPT2ForSequenceClassification']; }, /field 'architectures' is 'GPT2ForSequenceClassification', which qkv does not build for gpt2/],
    ['scale_attn_by_inverse_layer_idx: true', 'gpt2', (c: Record<string, unknown>) => { c.scale_attn_by_inverse_layer_idx = true; }, /config\.json field 'scale_attn_by_inverse_layer_idx' is true: scores divided by the layer index/],
    ['add_cross_attention: true', 'gpt2', (c: Record<string, unknown>) => { c.add_cross_attention = true; }, /field 'add_cross_attention' is true/],
    ['n_inner ≠ 4·n_embd', 'gpt2', (c: Record<string, unknown>) => { c.n_inner = 100; }, /field 'n_inner' is 100; qkv's GPT implements only 4·n_embd = 128/],
    ['an unknown activation_function', 'gpt2', (c: Record<string, unknown>) => { c.activation_function = 'swish'; }, /field 'activation_function' is 'swish', which qkv does not implement/],
    ['n_embd not divisible by n_head', 'gpt2', (c: Record<string, unknown>) => { c.n_head = 5; }, /field 'n_embd' 32 must be divisible by n_head = 5/],
    ['n_embd as a string', 'gpt2', (c: Record<string, unknown>) => { c.n_embd = '32'; }, /field 'n_embd' must be an integer in \[1, 65536\], got "32"/],
    ['a huge vocab_size', 'gpt2', (c: Record<string, unknown>) => { c.vocab_size = 1e12; }, /field 'vocab_size' must be an integer in \[1, 4000000\]/],
    ['a negative layer_norm_epsilon', 'gpt2', (c: Record<string, unknown>) => { c.layer_norm_epsilon = -1; }, /field 'layer_norm_epsilon' must be a number in \(0, 1\]/],
    ['a missing n_layer', 'gpt2', (c: Record<string, unknown>) => { delete c.n_layer; }, /field 'n_layer' is required and missing/],
    ['position_embedding_type relative_key', 'bert-cls', (c: Record<string, unknown>) => { c.position_embedding_type = 'relative_key'; }, /field 'position_embedding_type' is 'relative_key', which qkv does not implement \(supported: 'absolute'\)/],
    ['is_decoder: true', 'bert-cls', (c: Record<string, unknown>) => { c.is_decoder = true; }, /field 'is_decoder' is true: a causal decoder/],
    ['id2label with a gap', 'bert-cls', (c: Record<string, unknown>) => { c.id2label = { 0: 'a', 2: 'b' }; }, /field 'id2label' must use the ids 0 … 1 once each, got '2'/],
    ['qkv_bias: false', 'vit-cls', (c: Record<string, unknown>) => { c.qkv_bias = false; }, /field 'qkv_bias' is false: query\/key\/value without biases/],
    ['a patch_size that does not divide image_size', 'vit-cls', (c: Record<string, unknown>) => { c.patch_size = 5; }, /field 'patch_size' 5 must divide image_size = 16/],
  ])('refuses %s', async (_what, folder, edit, message) => {
    await expect(open(withConfig(folder, edit))).rejects.toThrow(message);
  });

  it('refuses a config.json that is not JSON, or not an object', async () => {
    const files = folderBytes('gpt2');
    files.set('config.json', new TextEncoder().encode('{"model_type": '));
    await expect(open(asFiles(files))).rejects.toThrow(/fromPretrained: config\.json is not valid JSON/);
    files.set('config.json', new TextEncoder().encode('[1]'));
    await expect(open(asFiles(files))).rejects.toThrow(/fromPretrained: config\.json must be a JSON object, got an array/);
  });

  it('a config whose sizes disagree with the weights names the tensor and the file', async () => {
    await expect(open(withConfig('gpt2', (c) => { c.n_positions = 32; }))).rejects.toThrow(/fromPretrained: model\.safetensors: tensor 'wpe\.weight' must be \[32, 32\] for this config\.json, got \[64, 32\]/);
  });
});

/** The fixture with model.safetensors replaced by `bytes`. */
function withWeights(folder: string, file: string, bytes: Uint8Array): File[] {
  const files = folderBytes(folder);
  files.set(file, bytes);
  return asFiles(files);
}

/** A safetensors file from a header object and a data length. */
function safetensors(header: object, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  return out;
}

describe('safetensors', () => {
  it('refuses a truncated file', async () => {
    const bytes = folderBytes('gpt2').get('model.safetensors')!;
    await expect(open(withWeights('gpt2', 'model.safetensors', bytes.subarray(0, 1000)))).rejects.toThrow(/fromPretrained: model\.safetensors: header length \d+ is impossible for a 1000-byte file/);
    await expect(open(withWeights('gpt2', 'model.safetensors', bytes.subarray(0, bytes.length - 4)))).rejects.toThrow(/fromPretrained: model\.safetensors: tensor '.*' .* needs \d+ bytes/);
  });

  it('refuses offsets that overlap or leave gaps, and non-float weights', async () => {
    await expect(open(withWeights('gpt2', 'model.safetensors', safetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12)))).rejects.toThrow(/tensor 'b' starts at byte \d+, where the previous tensor still runs/);
    await expect(open(withWeights('gpt2', 'model.safetensors', safetensors({ a: { dtype: 'Q8', shape: [2], data_offsets: [0, 2] } }, 2)))).rejects.toThrow(/tensor 'a' has dtype "Q8", not one of F32, F16, BF16/);
  });

  it('names a missing tensor, and tensors the architecture does not have', async () => {
    const { tensors } = (await import('@qkv/nn')).load(folderBytes('bert-cls').get('model.safetensors')!);
    const { save } = await import('@qkv/nn');
    const without = Object.fromEntries(Object.entries(tensors).filter(([k]) => k !== 'bert.encoder.layer.1.attention.self.key.weight'));
    await expect(open(withWeights('bert-cls', 'model.safetensors', save(without)))).rejects.toThrow(/fromPretrained: the checkpoint has no tensor 'bert\.encoder\.layer\.1\.attention\.self\.key\.weight'.*BertForSequenceClassification needs for bert\.encoder\.layers\.1\.self_attn\.key\.weight/);
    const extra = { ...tensors, 'bert.encoder.layer.0.crossattention.self.query.weight': tensors['bert.pooler.dense.weight']! };
    await expect(open(withWeights('bert-cls', 'model.safetensors', save(extra)))).rejects.toThrow(/model\.safetensors holds 1 tensor\(s\) that BertForSequenceClassification does not have: bert\.encoder\.layer\.0\.crossattention\.self\.query\.weight/);
    const i64 = safetensors({ 'bert.pooler.dense.weight': { dtype: 'I64', shape: [32, 32], data_offsets: [0, 8192] } }, 8192);
    const rest = Object.fromEntries(Object.entries(tensors).filter(([k]) => k !== 'bert.pooler.dense.weight'));
    const files = folderBytes('bert-cls');
    files.delete('model.safetensors');
    files.set('model-00001-of-00002.safetensors', save(rest));
    files.set('model-00002-of-00002.safetensors', i64);
    const weightMap = Object.fromEntries([...Object.keys(rest).map((k) => [k, 'model-00001-of-00002.safetensors']), ['bert.pooler.dense.weight', 'model-00002-of-00002.safetensors']]);
    files.set('model.safetensors.index.json', new TextEncoder().encode(JSON.stringify({ weight_map: weightMap })));
    await expect(open(asFiles(files))).rejects.toThrow(/model-00002-of-00002\.safetensors: tensor 'bert\.pooler\.dense\.weight' is I64; weights must be F32, F16 or BF16/);
  });

  it('checks the shard index: plain file names, and each tensor where it says', async () => {
    const files = folderBytes('bert-mlm');
    const index = JSON.parse(new TextDecoder().decode(files.get('model.safetensors.index.json'))) as { weight_map: Record<string, string> };
    const first = Object.keys(index.weight_map)[0]!;
    files.set('model.safetensors.index.json', new TextEncoder().encode(JSON.stringify({ weight_map: { ...index.weight_map, [first]: '../../etc/passwd' } })));
    await expect(open(asFiles(files))).rejects.toThrow(/fromPretrained: '\.\.\/\.\.\/etc\/passwd' is not a plain file name of a Hub folder/);
    files.set('model.safetensors.index.json', new TextEncoder().encode(JSON.stringify({ weight_map: { ...index.weight_map, [first]: 'model-00002-of-00002.safetensors' } })));
    await expect(open(asFiles(files))).rejects.toThrow(/model\.safetensors\.index\.json field 'weight_map' says '.*' is in model-00002-of-00002\.safetensors, but it is in model-00001-of-00002\.safetensors/);
  });

  it('refuses a pickle checkpoint by name, and a folder without weights', async () => {
    const files = folderBytes('gpt2');
    files.delete('model.safetensors');
    await expect(open(asFiles(files))).rejects.toThrow(/has neither model\.safetensors nor model\.safetensors\.index\.json/);
    files.set('pytorch_model.bin', new Uint8Array(4));
    await expect(open(asFiles(files))).rejects.toThrow(/holds pytorch_model\.bin \(a pickle, which qkv does not execute\)/);
  });
});
