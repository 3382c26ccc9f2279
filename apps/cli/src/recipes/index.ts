// The recipe registry: `qkv recipes` lists it, every other command looks a recipe up by name.
import { dateNormalization } from './date-normalization.js';
import { g2pTransformer } from './g2p-transformer.js';
import type { Recipe } from './types.js';

/** Every recipe, in the order `qkv recipes` prints them. */
export const recipes: Recipe[] = [dateNormalization, g2pTransformer];

/** Finds a recipe or throws a usage error listing the names. */
export function findRecipe(name: string | undefined): Recipe {
  const recipe = recipes.find((r) => r.name === name);
  if (!recipe) throw new UsageError(`unknown recipe '${name ?? ''}'; choose one of: ${recipes.map((r) => r.name).join(', ')}`);
  return recipe;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
