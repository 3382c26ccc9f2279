// A Hub folder's tokenizer files ↔ @qkv/tokenizer's PretrainedTokenizer: tokenizer.json when the
// folder has it (Hugging Face `tokenizers`' pipelines), else vocab.json + merges.txt (GPT-2) or
// vocab.txt with tokenizer_config.json's do_lower_case (BERT). Saving writes the files it came from.
import { TokenizerError, fromBertVocab, fromGpt2Files, fromTokenizerJson } from '@qkv/tokenizer';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import { PretrainedError, parseJsonFile } from './config.js';
import type { PretrainedSource } from './source.js';

/** The files each loaded tokenizer was read from, by name, to be written back unchanged. */
const sourceFiles = new WeakMap<PretrainedTokenizer, Map<string, string>>();

const text = async (source: PretrainedSource, file: string): Promise<string> => new TextDecoder('utf-8').decode(await source.read(file));

async function build(source: PretrainedSource, modelType: string, where: string, files: Map<string, string>): Promise<[PretrainedTokenizer, Map<string, string>]> {
  const read = async (file: string): Promise<string> => {
    const t = await text(source, file);
    files.set(file, t);
    return t;
  };
  if (await source.has('tokenizer.json')) return [fromTokenizerJson(await read('tokenizer.json')), files];
  if (modelType === 'gpt2') {
    if ((await source.has('vocab.json')) && (await source.has('merges.txt'))) return [fromGpt2Files(await read('vocab.json'), await read('merges.txt')), files];
    throw new PretrainedError(`${where}: ${source.description} has neither tokenizer.json nor vocab.json + merges.txt (pass { tokenizer: false } to load the model alone)`);
  }
  if (await source.has('vocab.txt')) {
    let doLowerCase = true;
    if (await source.has('tokenizer_config.json')) {
      const config = parseJsonFile(await read('tokenizer_config.json'), 'tokenizer_config.json', where);
      const v = typeof config === 'object' && config !== null ? new Map(Object.entries(config)).get('do_lower_case') : undefined;
      if (v !== undefined && typeof v !== 'boolean') throw new PretrainedError(`${where}: tokenizer_config.json field 'do_lower_case' must be true or false, got ${JSON.stringify(v)}`);
      doLowerCase = v ?? true;
    }
    return [fromBertVocab(await read('vocab.txt'), { doLowerCase }), files];
  }
  throw new PretrainedError(`${where}: ${source.description} has neither tokenizer.json nor vocab.txt for BERT's WordPiece tokenizer (pass { tokenizer: false } to load the model alone)`);
}

/** The tokenizer of a folder of `modelType`, or null for a vision model. */
export async function loadTokenizer(source: PretrainedSource, modelType: string, where: string): Promise<PretrainedTokenizer | null> {
  if (modelType === 'vit') return null;
  let built: [PretrainedTokenizer, Map<string, string>];
  const read = new Map<string, string>();
  try {
    built = await build(source, modelType, where, read);
  } catch (err) {
    // one error class for a bad folder: the tokenizer's own error, prefixed with the file(s) it read
    if (!(err instanceof TokenizerError)) throw err;
    const file = err.file ?? ([...read.keys()].join(' + ') || 'the tokenizer files');
    throw new PretrainedError(`${where}: ${file}: ${err.message}`, { cause: err });
  }
  const [tokenizer, files] = built;
  sourceFiles.set(tokenizer, files);
  return tokenizer;
}

/** A loaded tokenizer's Hub files (the ones it was read from). */
export function tokenizerFiles(tokenizer: PretrainedTokenizer, where: string): Map<string, string> {
  const files = sourceFiles.get(tokenizer);
  if (!files) throw new PretrainedError(`${where}: this tokenizer was not loaded by fromPretrained, so its Hub files are unknown (pass the one fromPretrained returned)`);
  return files;
}
