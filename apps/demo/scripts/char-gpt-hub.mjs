// Writes public/models/char-gpt-hub/: the character-level GPT that apps/cli ships (trained with qkv
// on the Brown corpus, apps/cli/models/char-gpt) as a Hugging Face Hub folder of the GPT-2 family,
// with `qkv convert` (apps/cli/src/hub/convert.ts and char-vocab.ts hold the conversion): config.json,
// model.safetensors with GPT-2's names (Conv1D weights transposed) and a byte-level tokenizer
// (vocab.json + merges.txt without merges) that gives exactly the character ids the model was
// trained on. The 171 bytes Brown never had get ids 89…259 with copies of <unk>'s embedding row.
// Then it measures, on a Brown-like sentence, that the ids are the char tokenizer's and the
// log-probabilities of the real characters barely move.
// The "Look inside a model" page opens it offline; Python's transformers opens it as GPT2LMHeadModel.
// Run from apps/demo after building the CLI (pnpm turbo run build --filter @qkv/cli...): node scripts/char-gpt-hub.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from '@qkv/nn';
import { fromPretrained } from '@qkv/pretrained/node';
import { loadTokenizer } from '@qkv/tokenizer';
import { tensor } from '@qkv/tensor-core';
import { GPT } from '@qkv/transformer';

const cli = fileURLToPath(new URL('../../cli/dist/cli.js', import.meta.url));
const out = fileURLToPath(new URL('../public/models/char-gpt-hub/', import.meta.url));
execFileSync(process.execPath, [cli, 'convert', '--from', 'char-gpt', '--to', out, '--force'], { stdio: 'inherit' });

const dir = new URL('../../cli/models/char-gpt/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8'));
const { kind: _kind, ...config } = manifest.model;
const original = new GPT({ ...config, dropout: 0 });
original.loadStateDict(load(readFileSync(new URL('model.safetensors', dir))).tensors, { strict: true });
original.eval();
const chars = loadTokenizer(manifest.tokenizer);
const sample = 'The jury said it did find (over-all) that "the city" had;\n';
const want = chars.encode(sample, { addSpecialTokens: false });
const back = await fromPretrained(out);
if (JSON.stringify(back.tokenizer.encode(sample)) !== JSON.stringify(want)) throw new Error('char-gpt-hub: the saved folder\'s tokenizer gives other ids');
const ids = tensor(Int32Array.from(want), { shape: [1, want.length], dtype: 'int32' });
// log-probabilities of the real characters: the original model against the saved folder
const logp = (m, n) => m.forward(ids).logSoftmax(-1).narrow(2, 0, n).dataSync();
const a = logp(original, chars.vocabSize);
const b = logp(back.model, chars.vocabSize);
const diff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
if (!(diff <= 1e-3)) throw new Error(`char-gpt-hub: the saved folder's log-probabilities differ by ${diff}`);
console.log(`${out}: on a Brown-like sentence the ids equal the char tokenizer's and the log-probabilities of the ${chars.vocabSize} trained tokens are within ${diff.toExponential(1)} of the original model's`);
