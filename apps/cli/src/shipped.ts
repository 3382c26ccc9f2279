// The trained models the project ships, by name, so `qkv eval --model g2p-gru` reaches each model
// the READMEs report without a path: the demo's (apps/demo/public/models) and the CLI's own
// (apps/cli/models), each a model.safetensors with the manifest.json it was exported with.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.js';

/** Where each shipped model lives, relative to this package's folder (src/ and dist/ sit one level below it). */
const SHIPPED: ReadonlyMap<string, string> = new Map([
  ['g2p-transformer', '../../demo/public/models/g2p-transformer/'],
  ['g2p-gru', '../../demo/public/models/g2p-gru/'],
  ['vit-mnist', '../../demo/public/models/vit-mnist/'],
  ['spam-classifier', '../models/spam-classifier/'],
  ['char-gpt', '../models/char-gpt/'],
]);

/** The names `--model` takes (each is also its recipe's name). */
export const shippedModelNames: readonly string[] = [...SHIPPED.keys()];

/**
 * The recipe and weights file of a shipped model, checked to exist.
 * @example shippedModel('g2p-gru') // { recipe: 'g2p-gru', checkpoint: '…/apps/demo/public/models/g2p-gru/model.safetensors' }
 */
export function shippedModel(name: string): { recipe: string; checkpoint: string } {
  const dir = SHIPPED.get(name);
  if (dir === undefined) throw new UsageError(`--model: no shipped model is named '${name}'; the shipped models are ${shippedModelNames.join(', ')} (for your own weights pass <recipe> --checkpoint F)`);
  const checkpoint = fileURLToPath(new URL(`${dir}model.safetensors`, import.meta.url));
  if (!existsSync(checkpoint)) throw new UsageError(`--model ${name}: its weights are missing at ${checkpoint} (this copy of qkv does not ship them)`);
  return { recipe: name, checkpoint };
}
