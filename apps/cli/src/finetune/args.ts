// Command-line flags of `qkv finetune`: a task (causal-LM text or sequence classification), a base
// model folder, a data file, LoRA or full fine-tuning.
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

/** The usage text of `qkv finetune`. */
export const FINETUNE_USAGE = `usage: qkv finetune --model DIR --data FILE [--task causal-lm|classify] [options]

--task causal-lm (the default) fine-tunes a causal language model on the text in FILE (one
document or example per line; a seeded --eval-fraction of the lines is held out) and reports
held-out perplexity before and after. --task classify fine-tunes a BERT-family sequence classifier
on the labelled texts in FILE (JSON Lines, one {"text": "…", "label": "spam"} per line; labels are
strings or integers) and reports held-out accuracy before and after.

  --model DIR            base model folder. causal-lm: a Hugging Face Hub GPT-2 folder (config.json,
                         model.safetensors, vocab.json + merges.txt or tokenizer.json), or
                         model.safetensors + manifest.json as qkv train/export write them (a GPT
                         with a char tokenizer, e.g. apps/cli/models/char-gpt). classify: a Hub
                         BERT folder with vocab.txt or tokenizer.json: BertForSequenceClassification
                         (its labels), or BertForMaskedLM / BertModel (a new pooler and classifier
                         head, as transformers' AutoModelForSequenceClassification builds)
  --data FILE            causal-lm: UTF-8 text; classify: JSON Lines of {"text", "label"}
  --eval-data FILE       classify: held-out examples in the same format (default: a seeded
                         --eval-fraction of --data)
  --lora-rank <n>        LoRA rank (default 8); 0 = full fine-tuning of every weight
  --lora-alpha <x>       LoRA alpha (default 2 × rank)
  --lora-dropout <x>     dropout on the adapter input (default 0.05)
  --target <a,b,…>       layers to adapt, PEFT's list rule (default c_attn; classify: query,value,
                         with the classifier (and a new pooler) trained in full: PEFT's
                         modules_to_save)
  --save <adapter|merged>
                         what --out receives: the PEFT adapter (adapter_model.safetensors +
                         adapter_config.json; the default with LoRA) or the whole model with the
                         update merged in, in the base folder's layout (Hub or qkv; the default
                         for full fine-tuning)
  --out <dir>            output folder (default runs/finetune); checkpoints and metrics.jsonl too
  --epochs <n>  --max-steps <n>  --batch-size <n> (16)  --lr <x> (LoRA 2e-3, full 3e-4)
  --warmup <n>           warmup steps before the cosine decay (default 20)
  --gradient-checkpointing
                         recompute each block's activations in backward (less memory, ~1/3 slower)
  --block-size <n>       causal-lm: training window (default: the model's context); classify:
                         tokens kept of each text, [CLS] and [SEP] included (default 128 or the
                         model's maxPositionEmbeddings if smaller)
  --eval-fraction <x>    held-out share of the lines (default 0.1)
  --eval-limit <n>       score at most n held-out windows (classify: examples; default: all)
  --eval-every <n>       validate every n steps (default: at each epoch's end)
  --checkpoint-every <n> checkpoint every n steps (default 200)
  --keep-checkpoints     also keep each periodic checkpoint as checkpoint-<step>.safetensors
  --resume <file>        continue from a checkpoint of the same command, bit-identically
  --time-limit <min>     stop training after this many minutes
  --seed <n>  --backend <cpu|wasm>  --threads <n>  --quiet`;

/** Parsed `qkv finetune` flags. */
export interface FinetuneArgs {
  task: 'causal-lm' | 'classify';
  model: string;
  data: string;
  evalData?: string;
  rank: number;
  alpha: number;
  dropout: number;
  targets: string[];
  save: 'adapter' | 'merged';
  out: string;
  epochs: number;
  maxSteps?: number;
  batchSize: number;
  lr: number;
  warmup: number;
  blockSize?: number;
  gradientCheckpointing: boolean;
  evalFraction: number;
  evalLimit?: number;
  evalEvery: number;
  checkpointEvery: number;
  keepCheckpoints: boolean;
  resume?: string;
  timeLimitMinutes?: number;
  seed: number;
  backend?: string;
  threads: number;
  quiet: boolean;
  argv: string[];
}

function count(name: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`finetune: --${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}, got '${value}'`);
  }
  return n + 0; // -0 → 0
}

function real(name: string, value: string | undefined, fallback: number, ok: (n: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`finetune: --${name} must be ${expected}, got '${value}'`);
  return n;
}

/** Parses the flags after `qkv finetune`; throws UsageError with the flag and what it expects. */
export function parseFinetune(argv: string[]): FinetuneArgs | 'help' {
  let parsed;
  try {
    const s = { type: 'string' } as const;
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        task: s, model: s, data: s, 'eval-data': s, 'lora-rank': s, 'lora-alpha': s, 'lora-dropout': s, target: s, save: s, out: s, epochs: s, 'max-steps': s,
        'batch-size': s, lr: s, warmup: s, 'block-size': s, 'gradient-checkpointing': { type: 'boolean' }, 'eval-fraction': s, 'eval-limit': s, 'eval-every': s, 'checkpoint-every': s,
        resume: s, 'keep-checkpoints': { type: 'boolean' }, 'time-limit': s, seed: s, backend: s, threads: s, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(`finetune: ${(err as Error).message}`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!v.model) throw new UsageError('finetune: --model DIR is required');
  if (!v.data) throw new UsageError('finetune: --data FILE is required');
  const task = v.task ?? 'causal-lm';
  if (task !== 'causal-lm' && task !== 'classify') throw new UsageError(`finetune: --task must be causal-lm or classify, got '${task}'`);
  if (v['eval-data'] !== undefined && task !== 'classify') throw new UsageError('finetune: --eval-data is for --task classify; causal-lm holds out --eval-fraction of the lines');
  const rank = count('lora-rank', v['lora-rank'], 8);
  const save = v.save ?? (rank > 0 ? 'adapter' : 'merged');
  if (save !== 'adapter' && save !== 'merged') throw new UsageError(`finetune: --save must be adapter or merged, got '${save}'`);
  if (save === 'adapter' && rank === 0) throw new UsageError('finetune: --save adapter needs LoRA (--lora-rank ≥ 1); full fine-tuning saves the merged model');
  const targets = (v.target ?? (task === 'classify' ? 'query,value' : 'c_attn')).split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (targets.length === 0) throw new UsageError(`finetune: --target must name at least one layer, got '${v.target}'`);
  if (v.backend !== undefined && !['cpu', 'wasm'].includes(v.backend)) throw new UsageError(`finetune: --backend must be cpu or wasm, got '${v.backend}'`);
  return {
    task,
    model: v.model,
    data: v.data,
    evalData: v['eval-data'],
    rank,
    alpha: real('lora-alpha', v['lora-alpha'], 2 * rank, (n) => n > 0, 'a positive number'),
    dropout: real('lora-dropout', v['lora-dropout'], 0.05, (n) => n >= 0 && n < 1, 'in [0, 1)'),
    targets,
    save,
    out: v.out ?? 'runs/finetune',
    epochs: count('epochs', v.epochs, 1, 1),
    maxSteps: v['max-steps'] === undefined ? undefined : count('max-steps', v['max-steps'], 0, 1),
    batchSize: count('batch-size', v['batch-size'], 16, 1),
    lr: real('lr', v.lr, rank > 0 ? 2e-3 : 3e-4, (n) => n > 0, 'a positive number'),
    warmup: count('warmup', v.warmup, 20),
    blockSize: v['block-size'] === undefined ? undefined : count('block-size', v['block-size'], 0, 1),
    gradientCheckpointing: v['gradient-checkpointing'] ?? false,
    evalFraction: real('eval-fraction', v['eval-fraction'], 0.1, (n) => n > 0 && n < 1, 'in (0, 1)'),
    evalLimit: v['eval-limit'] === undefined ? undefined : count('eval-limit', v['eval-limit'], 0, 1),
    evalEvery: count('eval-every', v['eval-every'], 0),
    checkpointEvery: count('checkpoint-every', v['checkpoint-every'], 200, 1),
    keepCheckpoints: v['keep-checkpoints'] ?? false,
    resume: v.resume,
    timeLimitMinutes: v['time-limit'] === undefined ? undefined : real('time-limit', v['time-limit'], 1, (n) => n > 0, 'a positive number'),
    seed: count('seed', v.seed, 0),
    backend: v.backend,
    threads: count('threads', v.threads, 1, 1, 256),
    quiet: v.quiet ?? !process.stdout.isTTY,
    argv,
  };
}
