// The command table: one entry per command, for `qkv help <command>`, `qkv <command> --help` and
// the check that a command exists. A new command adds one entry here (and its file).

/** What `--help` prints for one command. */
export interface CommandHelp {
  /** `qkv train <recipe> [options]` */
  usage: string;
  /** One line for the overview. */
  summary: string;
  /** The flags this command reads, one per line. */
  options?: string;
}

const model = '  --checkpoint <file>    weights: a checkpoint of qkv train or model.safetensors of qkv export;\n                         manifest.json must sit beside it\n  --set key=value        override a recipe setting from the manifest';

/** Every command of `qkv`. */
export const commands: Readonly<Record<string, CommandHelp>> = Object.freeze(Object.assign(Object.create(null) as Record<string, CommandHelp>, {
  recipes: { usage: 'qkv recipes', summary: 'list the recipes and their settings' },
  train: { usage: 'qkv train <recipe> [options]', summary: 'train (checkpoints, metrics.jsonl and manifest.json go to --out)', options: '  --epochs <n> --batch-size <n> --lr <x> --max-steps <n> --limit <n> --eval-limit <n>\n  --test-limit <n> --eval-every <n> --checkpoint-every <n> --keep-checkpoints\n  --out <dir> --resume <file> --time-limit <min> --seed <n> --set key=value --quiet\n  Ctrl-C saves a checkpoint and exits with 130; continue with --resume.' },
  eval: { usage: 'qkv eval <recipe> --checkpoint <file> [--split test|validation]\n       qkv eval --model NAME   (a shipped model: g2p-transformer, g2p-gru, vit-mnist, spam-classifier, char-gpt)', summary: 'metrics on the test split (or --split validation)', options: `${model}\n  --test-limit <n>       score at most n examples` },
  predict: { usage: 'qkv predict <recipe> <input> --checkpoint <file>\n       qkv predict --model NAME <input>', summary: "the model's output, with its attention as a terminal heatmap", options: `${model}\n  input is normalised as the training data was (g2p: trimmed, lower-cased); input outside\n  the model's alphabet or longer than its limit is refused with a message that says the limit` },
  export: { usage: 'qkv export <recipe> --checkpoint <file> [--out dir] [--f16]\n       qkv export --model NAME [--out dir] [--f16]', summary: 'write model.safetensors + manifest.json for the demo', options: `${model}\n  --f16                  store weights as float16` },
  average: { usage: 'qkv average <recipe> F1 F2 [F…] [--out dir]', summary: "the mean of several checkpoints' weights, scored on the test split" },
  finetune: { usage: 'qkv finetune --model DIR --data FILE [options]', summary: 'LoRA (or full) fine-tuning of a saved GPT folder on a text file; qkv finetune --help lists its options' },
  'export-onnx': { usage: 'qkv export-onnx --model NAME|DIR --out model.onnx [options]', summary: 'a shipped model or a Hub-layout folder as ONNX (opset 17); qkv export-onnx --help lists its options' },
  generate: { usage: 'qkv generate --model DIR --prompt TEXT [options]', summary: 'continue a prompt with a Hub-layout GPT-2-family folder on its KV cache, streamed; qkv generate --help lists its options' },
  inspect: { usage: 'qkv inspect --model DIR --text TEXT [--layer L --head H]', summary: "a Hub-layout GPT-2, BERT or ViT folder's attention (one head as a terminal heatmap, or all heads' summary) and predictions; qkv inspect --help" },
  convert: { usage: 'qkv convert --from SRC --to DIR [--format hub|qkv] [--f16]', summary: 'qkv char-gpt ↔ Hub GPT-2 folder, or a Hub folder re-saved as one F32/F16 file; qkv convert --help lists the conversions' },
  help: { usage: 'qkv help [command]', summary: 'this overview, or one command in detail' },
}));

/** Flags every command takes. */
export const COMMON_OPTIONS = '  --backend <cpu|wasm>   compute backend (default wasm)\n  --threads <n>          wasm worker threads, 1 to 256 (default 1)\n  --verbose              print stacks with errors (or set DEBUG=1)\n  -h, --help             help for the command';

/**
 * The help text of one command.
 * @example commandHelp('train').startsWith('usage: qkv train')
 */
export function commandHelp(name: string): string {
  const c = commands[name]!;
  return `usage: ${c.usage}\n\n${c.summary}\n${c.options ? `\n${c.options}\n` : ''}\ncommon options:\n${COMMON_OPTIONS}`;
}
