// `qkv generate --model DIR --prompt TEXT`: a Hub-layout GPT-2-family folder continues a prompt on
// its KV cache, the text streamed to stdout token by token (loading progress goes to stderr).
import { cat, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import { GPT, greedyDecode, sample } from '@qkv/transformer';
import type { DecodeStepper, KVCache } from '@qkv/transformer';
import { InputError, UsageError } from '../errors.js';
import { hasTokenizer, hubFolder, intFlag, loadFolder, numberFlag, parseFlags, tokenizerFilesOf, useBackend } from './common.js';

/** The usage text of `qkv generate`. */
export const GENERATE_USAGE = `usage: qkv generate --model DIR --prompt TEXT [options]
       qkv generate --model DIR --ids 464,3290,318 [options]

Continues a prompt with a Hugging Face Hub-layout GPT-2-family folder (config.json with
model_type gpt2, model.safetensors, tokenizer.json or vocab.json + merges.txt) on its KV cache,
printing the prompt and the new text as it is generated. Sampling, as transformers' text-generation
pipeline does for GPT-2, unless --greedy.

  --model DIR             the folder (qkv convert writes one from a qkv char-gpt)
  --prompt TEXT           text to continue, encoded with the folder's tokenizer
  --ids a,b,c             token ids instead of --prompt (folders without a tokenizer: ids are printed)
  --max-new-tokens <n>    tokens to add (default 50); generation stops early at config.json's
                          eos_token_id
  --greedy                the most likely token every step (no sampling)
  --temperature <x>       sampling temperature, > 0 (default 1)
  --top-k <k>             sample among the k likeliest tokens (default 50; 0 = all)
  --top-p <p>             nucleus sampling: the smallest set of tokens whose probability reaches p
  --seed <n>              seed of the sampler (default 0)
  --quiet                 no loading progress on stderr

Context: a prompt longer than the model's n_positions keeps its last n_positions tokens (as
nanoGPT's generate crops it; a note on stderr says so). Generation past n_positions also slides
the window: each later step re-runs the last n_positions tokens without the KV cache.

A BERT or ViT folder is refused: generation needs a causal language model (qkv inspect looks inside
any of the three).`;

/**
 * A stepper over `gpt` that runs on the KV cache while the sequence fits the context, and past it
 * feeds the last `blockSize` tokens without a cache (nanoGPT's crop). `onFed` sees every token fed
 * after the prompt (each one just chosen). N rows · t tokens · V vocabulary.
 * @example greedyDecode(slidingStepper(gpt, (ids) => console.log(ids)), { prompt, maxNewTokens: 100 }) // [1, T0 + 100]
 */
export function slidingStepper(gpt: GPT, onFed: (ids: number[]) => void): DecodeStepper<{ cache: KVCache; prefix: Tensor | null }> {
  const blockSize = gpt.config.blockSize;
  const cached = gpt.stepper();
  return {
    init: () => ({ cache: [], prefix: null }),
    step: (tokens, state) => {
      if (state.prefix) onFed(Array.from(tokens.dataSync()));
      const prefix = state.prefix ? cat([state.prefix, tokens], 1) : tokens; // [N, t]
      const t = prefix.shape[1]!;
      if (t <= blockSize) {
        const { logits, state: next } = cached.step(tokens, { cache: state.cache, prefix: null });
        return { logits, state: { cache: next.cache, prefix } };
      }
      const logits = gpt.forward(prefix.narrow(1, t - blockSize, blockSize)).select(1, -1); // [N, V]
      return { logits, state: { cache: [], prefix } };
    },
    select: (state, index) => ({ cache: cached.select({ cache: state.cache, prefix: null }, index).cache, prefix: state.prefix ? state.prefix.indexSelect(0, index) : null }),
  };
}

/**
 * Writes the text of the ids generated so far (special tokens left out), holding back a trailing
 * piece of a UTF-8 character; without a tokenizer, the ids.
 */
function streamer(tokenizer: PretrainedTokenizer | null, write: (s: string) => void) {
  const ids: number[] = [];
  let printed = '';
  const flush = (final: boolean) => {
    if (!tokenizer) return;
    const text = tokenizer.decode(ids, { skipSpecialTokens: true }); // no <|endoftext|> in the text, as transformers' pipeline
    const stable = final || !text.endsWith('\uFFFD') ? text : text.replace(/\uFFFD+$/, '');
    if (stable.startsWith(printed)) {
      write(stable.slice(printed.length));
      printed = stable;
    }
  };
  return {
    push(newIds: number[]) {
      ids.push(...newIds);
      if (!tokenizer) write(newIds.map((id) => ` ${id}`).join(''));
      flush(false);
    },
    end() {
      flush(true);
      write('\n');
    },
  };
}

function parseIds(value: string, vocabSize: number): number[] {
  const ids = value.split(',').map((s) => s.trim());
  const parsed = ids.map(Number);
  if (ids.length === 0 || ids.some((s, i) => s === '' || !Number.isInteger(parsed[i]) || parsed[i]! < 0 || parsed[i]! >= vocabSize)) {
    throw new UsageError(`generate: --ids must be comma-separated token ids from 0 to ${vocabSize - 1}, got '${value}'`);
  }
  return parsed;
}

/**
 * Runs `qkv generate …` (the flags after the command name); returns the exit code.
 * @example await generateCommand(['--model', 'gpt2', '--prompt', 'The attention', '--greedy'])
 */
export async function generateCommand(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const s = { type: 'string' } as const;
  const v = parseFlags('generate', argv, { model: s, prompt: s, ids: s, 'max-new-tokens': s, temperature: s, 'top-k': s, 'top-p': s, seed: s, greedy: { type: 'boolean' } });
  if (v.help) {
    write(`${GENERATE_USAGE}\n`);
    return 0;
  }
  const folder = hubFolder('generate', '--model', v.model);
  if (folder.modelType !== 'gpt2') {
    const what = folder.modelType === 'bert' ? `a BERT (${folder.architecture || 'BertModel'}), an encoder` : folder.modelType === 'vit' ? 'a ViT, an image model' : `model_type '${folder.modelType}'`;
    const look = folder.modelType === 'vit' ? '--image FILE' : folder.architecture === 'BertForMaskedLM' ? '--text "… [MASK] …" (it prints the fills)' : '--text …';
    throw new UsageError(`generate: --model ${folder.dir} holds ${what}; generate needs a causal language model (GPT-2 family). To look inside it: qkv inspect --model ${folder.dir} ${look}`);
  }
  if ((v.prompt === undefined) === (v.ids === undefined)) throw new UsageError('generate: give --prompt TEXT or --ids a,b,c (one of them)');
  if (v.prompt !== undefined && !hasTokenizer(folder)) {
    throw new UsageError(`generate: --model ${folder.dir} has no tokenizer (${tokenizerFilesOf('gpt2')}), so --prompt cannot be encoded; give token ids with --ids a,b,c`);
  }
  if (v.prompt === '') throw new UsageError('generate: --prompt is empty');
  const maxNewTokens = intFlag('generate', 'max-new-tokens', v['max-new-tokens'], 50, 0, 100_000);
  const sampling = { temperature: numberFlag('generate', 'temperature', v.temperature, (n) => n > 0, 'a number > 0'), topK: intFlag('generate', 'top-k', v['top-k'], 50, 0), topP: numberFlag('generate', 'top-p', v['top-p'], (n) => n > 0 && n <= 1, 'in (0, 1]') };
  if (v.greedy && (v.temperature !== undefined || v['top-k'] !== undefined || v['top-p'] !== undefined)) throw new UsageError('generate: --greedy takes no --temperature, --top-k or --top-p');
  const seed = intFlag('generate', 'seed', v.seed, 0, 0);
  const givenIds = v.ids !== undefined ? parseIds(v.ids, folder.int('vocab_size') ?? Number.MAX_SAFE_INTEGER) : null; // before loading
  const backend = await useBackend('generate', v.backend, v.threads);

  const { model, tokenizer, config } = await loadFolder(folder.dir, { tokenizer: v.prompt !== undefined && hasTokenizer(folder), quiet: v.quiet });
  if (!(model instanceof GPT)) throw new UsageError(`generate: ${folder.dir} built a ${model.constructor.name}, not a GPT`);
  const { blockSize, vocabSize } = model.config;
  let ids = givenIds ?? tokenizer!.encode(v.prompt!);
  if (ids.length === 0) throw new InputError(`generate: --prompt '${v.prompt}' encodes to no tokens`);
  if (ids.some((id) => id >= vocabSize)) throw new UsageError(`generate: ${givenIds ? '--ids has' : 'the tokenizer gives'} ids up to ${Math.max(...ids)}, beyond the model's ${vocabSize} embeddings`);
  if (ids.length > blockSize) {
    if (!v.quiet) process.stderr.write(`the prompt has ${ids.length} tokens, more than the model's context of ${blockSize}: keeping its last ${blockSize}\n`);
    ids = ids.slice(-blockSize);
  }
  const eos = config.fields.get('eos_token_id');
  const eosId = typeof eos === 'number' && Number.isInteger(eos) && eos >= 0 && eos < vocabSize ? eos : undefined;
  if (!v.quiet) process.stderr.write(`generating up to ${maxNewTokens} tokens (${v.greedy ? 'greedy' : `sampling: temperature ${sampling.temperature ?? 1}, top-k ${sampling.topK || 'all'}${sampling.topP ? `, top-p ${sampling.topP}` : ''}, seed ${seed}`}) on ${backend}\n`);

  write(tokenizer ? tokenizer.decode(ids) : ids.join(' '));
  const out = streamer(tokenizer, write);
  const started = performance.now();
  const stepper = slidingStepper(model, (fed) => out.push(fed));
  const prompt = tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });
  const result = v.greedy
    ? greedyDecode(stepper, { prompt, maxNewTokens, eosId })
    : sample(stepper, { prompt, maxNewTokens, eosId, seed, temperature: sampling.temperature, topK: sampling.topK > 0 ? sampling.topK : undefined, topP: sampling.topP });
  const all = Array.from(result.dataSync());
  const fed = ids.length + Math.max(0, all.length - ids.length - 1); // the last token is chosen but never fed
  if (all.length > ids.length) out.push(all.slice(fed));
  out.end();
  const n = all.length - ids.length;
  if (!v.quiet) process.stderr.write(`${n} tokens in ${((performance.now() - started) / 1000).toFixed(2)} s (${(n / Math.max(1e-9, (performance.now() - started) / 1000)).toFixed(1)} tokens/s)\n`);
  return 0;
}
