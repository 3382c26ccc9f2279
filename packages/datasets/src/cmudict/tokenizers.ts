import { CharTokenizer, WordTokenizer } from '@qkv/tokenizer';
import { stripStress } from './phonemes.js';

/** Tokenizers for grapheme-to-phoneme: characters in, phonemes out. */
export interface G2PTokenizers {
  /** One token per grapheme, `<pad> <sos> <eos> <unk>` at ids 0…3. */
  source: CharTokenizer;
  /** One token per phoneme (space-separated), `<pad> <sos> <eos> <unk>` at ids 0…3, phonemes sorted. */
  target: WordTokenizer;
}

/**
 * Deterministic G2P vocabularies from the inventories of {@link loadCmudict}: graphemes in sorted
 * order, phonemes in sorted order (stressless when `stress: false`).
 * @example const { source, target } = g2pTokenizers(cmu, { stress: false }); target.encode('HH AH L OW')
 */
export function g2pTokenizers(inventory: { graphemes: readonly string[]; phonemes: readonly string[] }, options: { stress?: boolean } = {}): G2PTokenizers {
  const phonemes = options.stress === false ? [...new Set(stripStress(inventory.phonemes))].sort() : [...inventory.phonemes];
  return {
    source: CharTokenizer.fromAlphabet(inventory.graphemes),
    target: WordTokenizer.fromCorpus(phonemes.join(' ')),
  };
}
