/**
 * @qkv/pretrained/node — Hub folders on disk (Node only): `fromPretrained('./gpt2')` and
 * `savePretrained(model, './out')`. The safetensors file is read one tensor at a time through a file
 * handle, so loading never holds the file beside the model.
 */
import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Module } from '@qkv/nn';
import { PretrainedError } from './config.js';
import { fromPretrained as fromAnySource } from './load.js';
import type { FromPretrainedOptions, Pretrained, PretrainedModel, SourceInput } from './load.js';
import { savePretrained as saveToSink } from './save.js';
import type { SavePretrainedOptions } from './save.js';
import { checkFileName } from './source.js';
import type { PretrainedSink, PretrainedSource } from './source.js';

/**
 * A directory as a source: files are opened by base name only, and read by byte range.
 * @example const { model } = await fromPretrained(directorySource('./gpt2'))
 */
export function directorySource(dir: string): PretrainedSource {
  const sizes = new Map<string, number | null>();
  const size = async (file: string): Promise<number | null> => {
    if (!sizes.has(file)) {
      const s = await stat(join(dir, checkFileName(file, 'fromPretrained'))).catch(() => null);
      sizes.set(file, s && s.isFile() ? s.size : null);
    }
    return sizes.get(file)!;
  };
  const need = async (file: string): Promise<number> => {
    const s = await size(file);
    if (s === null) throw new PretrainedError(`fromPretrained: ${join(dir, file)} does not exist`);
    return s;
  };
  return {
    description: dir,
    has: async (file) => (await size(file)) !== null,
    size: need,
    async read(file, begin = 0, end) {
      const total = await need(file);
      const stop = end ?? total;
      if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(stop) || begin < 0 || stop < begin || stop > total) {
        throw new PretrainedError(`fromPretrained: byte range [${begin}, ${stop}) lies outside ${file} (${total} bytes)`);
      }
      const out = new Uint8Array(stop - begin); // a fresh buffer per range: F32 tensors become views of it
      const handle = await open(join(dir, file), 'r');
      try {
        let at = 0;
        while (at < out.length) {
          const { bytesRead } = await handle.read(out, at, out.length - at, begin + at);
          if (bytesRead === 0) throw new PretrainedError(`fromPretrained: ${file} ended at byte ${begin + at}, before ${stop} (changed while reading?)`);
          at += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return out;
    },
  };
}

/** A directory as a sink (created if missing). @example await savePretrained(model, directorySink('./out')) */
export function directorySink(dir: string): PretrainedSink {
  return {
    description: dir,
    async write(file, bytes) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, checkFileName(file, 'savePretrained')), bytes);
    },
  };
}

/**
 * `fromPretrained` that also takes a directory path.
 * @example const { model, tokenizer } = await fromPretrained<GPT>('./gpt2')
 */
export function fromPretrained<M extends Module = PretrainedModel>(input: SourceInput, options: FromPretrainedOptions = {}): Promise<Pretrained<M>> {
  const isPath = typeof input === 'string' && !/^(https?:|blob:|data:|\/\/)/.test(input);
  return fromAnySource<M>(isPath ? directorySource(input) : input, options);
}

/**
 * `savePretrained` that also takes a directory path.
 * @example await savePretrained(gpt, './out', { tokenizer })
 */
export function savePretrained(model: Module, dest: string | PretrainedSink, options: SavePretrainedOptions = {}): Promise<void> {
  return saveToSink(model, typeof dest === 'string' ? directorySink(dest) : dest, options);
}
