// Command-line parsing for `qkv`: flags, defaults from the recipe, and usage errors.
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { commands } from './commands.js';
import { UsageError } from './errors.js';
import { findRecipe } from './recipes/index.js';
import { shippedModel } from './shipped.js';
import type { RunOptions } from './recipes/types.js';

/** The usage text printed by `qkv --help` and after a usage error. */
export const USAGE = `usage: qkv <command> [recipe] [options]

commands (qkv help <command> or qkv <command> --help for details):
  help [command]                   this text, or one command's options
  recipes                          list the recipes
  train <recipe>                   train (checkpoints and metrics.jsonl go to --out)
  eval <recipe> --checkpoint F     metrics on the test split (or --split validation)
  eval --model NAME                the same for a model the project ships: g2p-transformer,
                                   g2p-gru, vit-mnist, spam-classifier, char-gpt
  predict <recipe> <input> --checkpoint F
  predict --model NAME <input>     the model's output, with its attention as a terminal heatmap
  export <recipe> --checkpoint F   write model.safetensors + manifest.json for the demo (--out)
  finetune --model DIR --data FILE
                                   LoRA (or full) fine-tuning of a saved model on a text file,
                                   held-out perplexity before and after (qkv finetune --help)
  export-onnx --model NAME|DIR --out model.onnx
                                   a shipped model or a Hub-layout folder as ONNX (opset 17);
                                   qkv export-onnx --help for its options
  generate --model DIR --prompt TEXT
                                   continue a prompt with a Hub-layout GPT-2-family folder
                                   (KV cache, streamed; qkv generate --help)
  inspect --model DIR --text TEXT [--layer L --head H]
                                   a Hub-layout GPT-2 / BERT / ViT folder's attention as a terminal
                                   heatmap or all heads' summary, and its predictions
  convert --from SRC --to DIR      qkv char-gpt ↔ Hub GPT-2 folder; a Hub folder re-saved as one
                                   F32/F16 file (qkv convert --help lists the conversions)
  average <recipe> F1 F2 [F…]      the mean of several checkpoints' weights, scored on the test
                                   split: model.safetensors + manifest.json in --out (default:
                                   average/ beside F1), for eval / predict / export --checkpoint

options:
  --backend <cpu|wasm>   compute backend (default: the fastest available)
  --threads <n>          wasm worker threads, 1 to 256 (default 1)
  --seed <n>             random seed (default 0)
  --epochs <n>  --batch-size <n>  --lr <x>  --max-steps <n>
  --limit <n>            train on the first n examples only
  --eval-limit <n>       validate on at most n examples during training
  --test-limit <n>       score at most n test examples at the end (default: the whole split)
  --out <dir>            output directory (default runs/<recipe>)
  --resume <file>        continue from a checkpoint, bit-identically
  --time-limit <min>     stop training after this many minutes (checkpoint, then test metrics)
  --keep-checkpoints     also keep each periodic checkpoint as checkpoint-<step>.safetensors
  --checkpoint-every <n> save a checkpoint every n steps (default 200)
  --eval-every <n>       validate every n steps (default: at each epoch's end)
  --checkpoint <file>    weights for eval / predict / export
  --model <name>         a shipped model instead of <recipe> --checkpoint F
  --set key=value        recipe-specific setting (repeatable), e.g. --set dModel=128
  --f16                  export weights as float16
  --quiet                no progress (without a terminal: a plain line every 10 s)
  --verbose              print the stack with an error (or set DEBUG=1)`;

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  // '' and ' ' are Number 0, and integers past 2^53 are not the ones typed: refuse both
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got '${value}'`);
  return n + 0; // -0 → 0
}

function intIn(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  const n = int(name, value, fallback);
  if (n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

function num(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got '${value}'`);
  return n;
}

/** Parses argv into a command, a recipe and options; throws UsageError on mistakes. */
export function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backend: { type: 'string' }, threads: { type: 'string' }, seed: { type: 'string' }, epochs: { type: 'string' },
        'batch-size': { type: 'string' }, lr: { type: 'string' }, 'max-steps': { type: 'string' }, limit: { type: 'string' },
        'eval-limit': { type: 'string' }, out: { type: 'string' }, resume: { type: 'string' }, checkpoint: { type: 'string' },
        split: { type: 'string' }, set: { type: 'string', multiple: true }, f16: { type: 'boolean' }, quiet: { type: 'boolean' },
        'checkpoint-every': { type: 'string' }, 'keep-checkpoints': { type: 'boolean' }, 'time-limit': { type: 'string' }, 'test-limit': { type: 'string' }, 'eval-every': { type: 'string' }, help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' },
        model: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  const command = positionals[0];
  if (!command) return { command: 'help' as const, topic: undefined };
  if (!Object.hasOwn(commands, command)) throw new UsageError(`unknown command '${command}'`);
  if (command === 'help') {
    const topic = positionals[1];
    if (topic !== undefined && !Object.hasOwn(commands, topic)) throw new UsageError(`help: unknown command '${topic}'`);
    return { command: 'help' as const, topic };
  }
  if (v.help) return { command: 'help' as const, topic: command };
  // `--model NAME` names a shipped model: its recipe and weights, so no recipe positional comes before the input
  if (v.model !== undefined && !['eval', 'predict', 'export'].includes(command)) throw new UsageError(`--model goes with eval, predict and export, not ${command}`);
  if (v.model !== undefined && v.checkpoint !== undefined) throw new UsageError('give --model or --checkpoint, not both');
  const shipped = v.model === undefined ? null : shippedModel(v.model);
  const [recipeName, ...rest] = shipped ? [shipped.recipe, ...positionals.slice(1)] : positionals.slice(1);
  if (shipped) v.checkpoint = shipped.checkpoint;
  if (command === 'recipes') return { command: 'recipes' as const };
  const recipe = findRecipe(recipeName);
  const set = Object.create(null) as Record<string, string>; // keys come from the command line
  for (const kv of v.set ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value, got '${kv}'`);
    const key = kv.slice(0, eq);
    if (!Object.hasOwn(recipe.settings, key)) throw new UsageError(`--set: ${recipe.name} has no setting '${key}'; it has: ${Object.keys(recipe.settings).join(', ')}`);
    set[key] = kv.slice(eq + 1);
  }
  const d = recipe.defaults;
  const run: RunOptions = {
    seed: int('seed', v.seed, d.seed),
    epochs: int('epochs', v.epochs, d.epochs),
    batchSize: int('batch-size', v['batch-size'], d.batchSize),
    lr: num('lr', v.lr, d.lr),
    maxSteps: v['max-steps'] === undefined ? d.maxSteps : int('max-steps', v['max-steps'], 0),
    limit: v.limit === undefined ? d.limit : int('limit', v.limit, 0),
    evalLimit: v['eval-limit'] === undefined ? d.evalLimit : int('eval-limit', v['eval-limit'], 0),
    set: { ...(d.set ?? {}), ...set },
  };
  if (run.batchSize === 0) throw new UsageError('--batch-size must be at least 1');
  if (v.backend !== undefined && !['cpu', 'wasm'].includes(v.backend)) throw new UsageError(`--backend must be cpu or wasm, got '${v.backend}'`);
  if ((command === 'eval' || command === 'predict' || command === 'export') && !v.checkpoint) throw new UsageError(`${command} needs --checkpoint <file> (or --model NAME for a shipped model)`);
  if (command === 'predict' && rest.length === 0) throw new UsageError('predict needs an input, e.g. qkv predict g2p-transformer hello --checkpoint F');
  if (command === 'average' && rest.length < 2) throw new UsageError(`average needs at least two checkpoints, got ${rest.length}: qkv average ${recipe.name} F1 F2 [F…]`);
  if (v.split !== undefined && v.split !== 'test' && v.split !== 'validation') throw new UsageError(`--split must be test or validation, got '${v.split}'`);
  return {
    command: command as 'train' | 'eval' | 'predict' | 'export' | 'average',
    recipe,
    run,
    input: rest.join(' '),
    /** The checkpoints `average` reads. */
    checkpoints: command === 'average' ? rest : [],
    backend: v.backend,
    threads: intIn('threads', v.threads, 1, 1, 256),
    verbose: v.verbose ?? false,
    /** --quiet given, or stdout is no terminal (then progress comes as plain lines). */
    plainProgress: !v.quiet && !process.stdout.isTTY,
    out: v.out ?? (command === 'average' ? join(dirname(rest[0]!), 'average') : join('runs', recipe.name)),
    resume: v.resume,
    checkpoint: v.checkpoint,
    split: v.split === 'validation' ? ('validation' as const) : ('test' as const),
    f16: v.f16 ?? false,
    quiet: v.quiet ?? !process.stdout.isTTY,
    checkpointEvery: int('checkpoint-every', v['checkpoint-every'], 200),
    keepCheckpoints: v['keep-checkpoints'] ?? false,
    evalEvery: int('eval-every', v['eval-every'], 0),
    testLimit: v['test-limit'] === undefined ? undefined : int('test-limit', v['test-limit'], 0),
    timeLimitMinutes: v['time-limit'] === undefined ? undefined : num('time-limit', v['time-limit'], 1),
    argv,
    /** What the command line itself set (eval/predict/export take the rest from the manifest). */
    explicit: { seed: v.seed !== undefined, set },
  };
}

