// The recipe registry: `qkv recipes` lists it, every other command looks a recipe up by name.
import { charGpt } from './char-gpt.js';
import { dateNormalization } from './date-normalization.js';
import { g2pGru } from './g2p-gru.js';
import { g2pTransformer } from './g2p-transformer.js';
import { spamClassifier } from './spam-classifier.js';
import { vitMnist } from './vit-mnist.js';
import { UsageError } from '../errors.js';
import type { Recipe } from './types.js';

export { UsageError };

/** Every recipe, in the order `qkv recipes` prints them. */
export const recipes: Recipe[] = [dateNormalization, g2pTransformer, g2pGru, vitMnist, spamClassifier, charGpt];

/** Finds a recipe or throws a usage error listing the names. */
export function findRecipe(name: string | undefined): Recipe {
  const recipe = recipes.find((r) => r.name === name);
  if (!recipe) throw new UsageError(`unknown recipe '${name ?? ''}'; choose one of: ${recipes.map((r) => r.name).join(', ')}`);
  return recipe;
}
