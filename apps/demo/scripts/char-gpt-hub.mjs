// Writes public/models/char-gpt-hub/: the character-level GPT that apps/cli ships (trained with qkv
// on the Brown corpus, apps/cli/models/char-gpt) as a Hugging Face Hub folder of the GPT-2 family —
// config.json, model.safetensors with GPT-2's names (Conv1D weights transposed) and a byte-level
// tokenizer (vocab.json + merges.txt) that gives exactly the character ids the model was trained on:
// its 85 characters are ASCII, so with no merges byte-level BPE splits text into those characters.
// A byte-level vocabulary holds all 256 bytes: the 171 bytes Brown never had get ids 89…259, and
// their embedding rows are copies of <unk>'s (so they read as unknown; tied to the output, each
// gets <unk>'s tiny probability — the script measures that the predictions barely move).
// The "Look inside a model" page opens it offline; Python's transformers opens it as GPT2LMHeadModel.
// Run from apps/demo after building the packages: node scripts/char-gpt-hub.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { load } from '@qkv/nn';
import { fromPretrained, savePretrained } from '@qkv/pretrained/node';
import { BPETokenizer, CharTokenizer, loadTokenizer } from '@qkv/tokenizer';
import { cat, tensor } from '@qkv/tensor-core';
import { GPT } from '@qkv/transformer';

const dir = new URL('../../cli/models/char-gpt/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8'));
const { kind, ...config } = manifest.model;
if (kind !== 'GPT') throw new Error(`char-gpt-hub: expected a GPT in ${dir.pathname}manifest.json, got ${kind}`);
const original = new GPT({ ...config, dropout: 0 });
const weights = load(readFileSync(new URL('model.safetensors', dir))).tensors;
original.loadStateDict(weights, { strict: true });
original.eval();

// GPT-2's byte ↔ unicode table (bytes 33–126, 161–172, 174–255 stand for themselves; the rest are
// shifted to 256+), applied to each character of the char tokenizer's vocabulary.
const printable = (b) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
const byteToUnicode = new Map();
let shift = 0;
for (let b = 0; b < 256; b++) byteToUnicode.set(b, String.fromCodePoint(printable(b) ? b : 256 + shift++));
const chars = loadTokenizer(manifest.tokenizer);
if (!(chars instanceof CharTokenizer)) throw new Error('char-gpt-hub: expected a char tokenizer in the manifest');
const vocab = {};
const seen = new Set();
for (let id = 0; id < chars.vocabSize; id++) {
  const token = chars.idToToken(id);
  const special = token.startsWith('<') && token.endsWith('>') && token.length > 1;
  if (!special && (token.length !== 1 || token.charCodeAt(0) > 127)) throw new Error(`char-gpt-hub: ${JSON.stringify(token)} is not one ASCII character`);
  if (!special) seen.add(token.charCodeAt(0));
  vocab[special ? token : byteToUnicode.get(token.charCodeAt(0))] = id;
}
for (let b = 0; b < 256; b++) if (!seen.has(b)) vocab[byteToUnicode.get(b)] = Object.keys(vocab).length;
const V = Object.keys(vocab).length;
const unk = chars.tokenToId('<unk>');
const tokenizer = BPETokenizer.fromFiles(JSON.stringify(vocab), '#version: 0.2\n', { specialTokens: { eos: '<eos>', unk: '<unk>', pad: '<pad>' } });

// the same model over the larger vocabulary: the new rows of the (tied) embedding are <unk>'s
const model = new GPT({ ...config, vocabSize: V, dropout: 0 });
const wte = weights['transformer.wte.weight'];
const extra = wte.select(0, unk).unsqueeze(0).expand(V - chars.vocabSize, config.nEmbd);
model.loadStateDict({ ...weights, 'transformer.wte.weight': cat([wte, extra], 0), 'lm_head.weight': cat([wte, extra], 0) }, { strict: false });
model.eval();

// the same ids as the char tokenizer on Brown-like text, and the same logits after the round trip
const sample = 'The jury said it did find (over-all) that "the city" had;\n';
const want = chars.encode(sample, { addSpecialTokens: false });
const got = tokenizer.encode(sample);
if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`char-gpt-hub: byte-level ids ${got.slice(0, 12)}… differ from the char ids ${want.slice(0, 12)}…`);
const out = new URL('../public/models/char-gpt-hub/', import.meta.url).pathname;
await savePretrained(model, out, { config: { bos_token_id: 1, eos_token_id: 2, pad_token_id: 0 } });
// GPT-2's tokenizer files: the byte-level vocabulary and no merges
writeFileSync(`${out}vocab.json`, JSON.stringify(vocab));
writeFileSync(`${out}merges.txt`, '#version: 0.2\n');
const back = await fromPretrained(out);
const reread = back.tokenizer.encode(sample);
if (JSON.stringify(reread) !== JSON.stringify(want)) throw new Error('char-gpt-hub: the saved folder\'s tokenizer gives other ids');
const ids = tensor(Int32Array.from(want), { shape: [1, want.length], dtype: 'int32' });
// log-probabilities of the real characters: the original model against the saved folder
const logp = (m, n) => m.forward(ids).logSoftmax(-1).narrow(2, 0, n).dataSync();
const a = logp(original, chars.vocabSize);
const b = logp(back.model, chars.vocabSize);
const diff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
if (!(diff <= 1e-3)) throw new Error(`char-gpt-hub: the saved folder's log-probabilities differ by ${diff}`);
console.log(`wrote ${out}: ${V} tokens; ids equal the char tokenizer's; log-probabilities of the ${chars.vocabSize} trained tokens within ${diff.toExponential(1)} of the original model's after loading the folder back`);
