// A Hub folder's tokenizer files ↔ @qkv/tokenizer: tokenizer.json where the tokenizer package reads
// it (byte-level BPE), else vocab.json + merges.txt (GPT-2) or vocab.txt (+ tokenizer_config.json's
// do_lower_case) for BERT.
import { BPETokenizer, WordPieceTokenizer } from '@qkv/tokenizer';
import type { Tokenizer } from '@qkv/tokenizer';
import { PretrainedError, parseJsonFile } from './config.js';
import type { PretrainedSource } from './source.js';

const text = async (source: PretrainedSource, file: string): Promise<string> => new TextDecoder('utf-8', { fatal: false }).decode(await source.read(file));

/** The tokenizer of a folder of `modelType`, or null for a vision model. */
export async function loadTokenizer(source: PretrainedSource, modelType: string, where: string): Promise<Tokenizer | null> {
  if (modelType === 'vit') return null;
  if (modelType === 'gpt2') {
    if (await source.has('tokenizer.json')) return BPETokenizer.fromTokenizerJson(await text(source, 'tokenizer.json'));
    if ((await source.has('vocab.json')) && (await source.has('merges.txt'))) {
      const vocab = await text(source, 'vocab.json');
      const eos = vocab.includes('"<|endoftext|>"') ? '<|endoftext|>' : null;
      return BPETokenizer.fromFiles(vocab, await text(source, 'merges.txt'), { specialTokens: { eos } });
    }
    throw new PretrainedError(`${where}: ${source.description} has neither tokenizer.json nor vocab.json + merges.txt (pass { tokenizer: false } to load the model alone)`);
  }
  if (await source.has('vocab.txt')) {
    let lowercase = true;
    if (await source.has('tokenizer_config.json')) {
      const config = parseJsonFile(await text(source, 'tokenizer_config.json'), 'tokenizer_config.json', where);
      const v = typeof config === 'object' && config !== null ? new Map(Object.entries(config)).get('do_lower_case') : undefined;
      if (v !== undefined && typeof v !== 'boolean') throw new PretrainedError(`${where}: tokenizer_config.json field 'do_lower_case' must be true or false, got ${JSON.stringify(v)}`);
      lowercase = v ?? true;
    }
    return WordPieceTokenizer.fromVocabTxt(await text(source, 'vocab.txt'), { lowercase });
  }
  throw new PretrainedError(`${where}: ${source.description} has no vocab.txt for BERT's WordPiece tokenizer (pass { tokenizer: false } to load the model alone)`);
}

/** A tokenizer as Hub files: vocab.json + merges.txt (byte-level BPE) or vocab.txt + tokenizer_config.json (WordPiece). */
export function tokenizerFiles(tokenizer: Tokenizer, where: string): Map<string, string> {
  const files = new Map<string, string>();
  if (tokenizer instanceof BPETokenizer) {
    const { vocab, merges } = tokenizer.toJSON();
    files.set('vocab.json', JSON.stringify(Object.fromEntries(vocab.map((t, i) => [t, i]))));
    files.set('merges.txt', `#version: 0.2\n${merges.map(([a, b]) => `${a} ${b}\n`).join('')}`);
  } else if (tokenizer instanceof WordPieceTokenizer) {
    const { vocab, lowercase } = tokenizer.toJSON();
    files.set('vocab.txt', vocab.map((t) => `${t}\n`).join(''));
    files.set('tokenizer_config.json', `${JSON.stringify({ do_lower_case: lowercase }, null, 2)}\n`);
  } else {
    throw new PretrainedError(`${where}: a ${tokenizer.constructor.name} has no Hub file layout (BPETokenizer and WordPieceTokenizer do)`);
  }
  return files;
}
