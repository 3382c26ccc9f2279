import { TokenizerError } from './errors.js';

/** The most tokens (or merges, or lines) a reader accepts; ids stay below it. */
export const MAX_TOKENS = 4_000_000;

/**
 * Parses JSON text (or passes an already parsed value through) with an error naming the file.
 * @example parseJson('{"a":0}', 'BPETokenizer.fromFiles', 'vocab.json') // { a: 0 }
 */
export function parseJson(input: string | object, fn: string, what: string): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch (error) {
    throw new TokenizerError(`${fn}: expected ${what} to be valid JSON, got a parse error: ${(error as Error).message}`);
  }
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Token → id object → tokens in id order; ids must be exactly 0…N-1.
 * @example tokensFromIdMap({ b: 1, a: 0 }, 'f', 'vocab.json') // ['a', 'b']
 */
export function tokensFromIdMap(value: unknown, fn: string, what: string): string[] {
  if (!isObject(value)) {
    throw new TokenizerError(`${fn}: expected ${what} to be an object of token → id, got ${kind(value)}`);
  }
  const tokens: string[] = [];
  const entries = Object.entries(value);
  if (entries.length > MAX_TOKENS) throw new TokenizerError(`${fn}: expected ${what} to hold at most ${MAX_TOKENS} tokens, got ${entries.length}`);
  for (const [token, id] of entries) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new TokenizerError(`${fn}: expected ${what} ids to be integers ≥ 0, got ${JSON.stringify(id)} for token ${JSON.stringify(token)}`);
    }
    if (id >= MAX_TOKENS) {
      throw new TokenizerError(`${fn}: expected ${what} ids to be below ${MAX_TOKENS}, got ${id} for token ${JSON.stringify(token)}`);
    }
    if (tokens[id] !== undefined) {
      throw new TokenizerError(`${fn}: expected unique ids in ${what}, got id ${id} for both ${JSON.stringify(tokens[id])} and ${JSON.stringify(token)}`);
    }
    tokens[id] = token;
  }
  for (let id = 0; id < tokens.length; id++) {
    if (tokens[id] === undefined) {
      throw new TokenizerError(`${fn}: expected ${what} ids to be 0…${tokens.length - 1} without gaps, got no token with id ${id}`);
    }
  }
  return tokens;
}

/** 'an array', 'null', 'a string', … for error messages. */
export function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a${/^[aeiou]/.test(typeof value) ? 'n' : ''} ${typeof value}`;
}
