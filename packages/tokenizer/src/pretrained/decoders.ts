/**
 * Decoders: tokens → text, with `tokenizers`' semantics. Each maps a list of token strings to a
 * list of strings (`decode_chain`), so they compose; the text is the final list joined.
 */
import { CHAR_TO_BYTE } from '../bpe/byte-unicode.js';

/** One step of decoding: N token strings → M strings. */
export type Decoder = (tokens: string[]) => string[];

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictUtf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const utf8Encoder = new TextEncoder();

/** The UTF-8 text of `bytes`, or undefined when they are not valid UTF-8. */
function strictUtf8(bytes: readonly number[]): string | undefined {
  try {
    return strictUtf8Decoder.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/**
 * ByteLevel: each token's characters back to GPT-2 bytes (a token with a character outside the
 * table, such as `<|endoftext|>`, stands for its own UTF-8), then one UTF-8 decode (invalid → U+FFFD).
 * @example byteLevelDecoder(['Hello', 'Ġworld']) // ['Hello world']
 */
export const byteLevelDecoder: Decoder = (tokens) => {
  const bytes: number[] = [];
  for (const token of tokens) {
    const start = bytes.length;
    let inTable = true;
    for (const ch of token) {
      const b = CHAR_TO_BYTE.get(ch);
      if (b === undefined) {
        inTable = false;
        break;
      }
      bytes.push(b);
    }
    if (!inTable) {
      bytes.length = start;
      for (const b of utf8Encoder.encode(token)) bytes.push(b);
    }
  }
  return [utf8Decoder.decode(Uint8Array.from(bytes))];
};

/** BERT's clean-up of spaces before punctuation and in English contractions. */
export function cleanupTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/**
 * WordPiece: a token after the first loses its `prefix` or gains a leading space; `cleanup` then
 * applies {@link cleanupTokenization} to each token.
 * @example wordPieceDecoder('##', true)(['un', '##aff', '##able', '!']) // ['un', 'aff', 'able', '!']
 */
export function wordPieceDecoder(prefix: string, cleanup: boolean): Decoder {
  return (tokens) =>
    tokens.map((token, i) => {
      let out = token;
      if (i !== 0) out = prefix !== '' && token.startsWith(prefix) ? token.slice(prefix.length) : ` ${token}`;
      return cleanup ? cleanupTokenization(out) : out;
    });
}

/**
 * Metaspace: `replacement` becomes a space, except in the first token when a space was prepended.
 * @example metaspaceDecoder('▁', true)(['▁Hey', '▁friend']) // ['Hey', ' friend']
 */
export function metaspaceDecoder(replacement: string, prepended: boolean): Decoder {
  return (tokens) =>
    tokens.map((token, i) => {
      let out = '';
      for (const ch of token) out += ch === replacement ? (i === 0 && prepended ? '' : ' ') : ch;
      return out;
    });
}

/**
 * BPEDecoder: the end-of-word `suffix` becomes a space (nothing in the last token).
 * @example bpeDecoder('</w>')(['hel', 'lo</w>', 'there</w>']) // ['hel', 'lo ', 'there']
 */
export function bpeDecoder(suffix: string): Decoder {
  return (tokens) => tokens.map((token, i) => (suffix === '' ? token : token.replaceAll(suffix, i === tokens.length - 1 ? '' : ' ')));
}

/** Fuse: all tokens into one string. @example fuseDecoder(['a', 'b']) // ['ab'] */
export const fuseDecoder: Decoder = (tokens) => [tokens.join('')];

/**
 * Strip: remove up to `start` leading and `stop` trailing `content` characters from each token.
 * @example stripDecoder(' ', 1, 0)([' a', '  b']) // ['a', ' b']
 */
export function stripDecoder(content: string, start: number, stop: number): Decoder {
  return (tokens) =>
    tokens.map((token) => {
      const chars = [...token];
      let from = 0;
      while (from < Math.min(start, chars.length) && chars[from] === content) from++;
      let to = chars.length;
      while (chars.length - to < stop && to > from && chars[to - 1] === content) to--;
      return chars.slice(from, to).join('');
    });
}

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/**
 * ByteFallback: runs of `<0xNN>` tokens become the UTF-8 text of their bytes, or one U+FFFD per
 * byte when the run is not valid UTF-8.
 * @example byteFallbackDecoder(['<0xE2>', '<0x82>', '<0xAC>']) // ['€']
 */
export const byteFallbackDecoder: Decoder = (tokens) => {
  const out: string[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const text = strictUtf8(run);
    if (text !== undefined) out.push(text);
    else for (let i = 0; i < run.length; i++) out.push('\ufffd');
    run = [];
  };
  for (const token of tokens) {
    const match = BYTE_TOKEN.exec(token);
    if (match) run.push(Number.parseInt(match[1]!, 16));
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
};

/** Sequence: each decoder in turn. */
export function sequenceDecoder(decoders: readonly Decoder[]): Decoder {
  return (tokens) => decoders.reduce((acc, decoder) => decoder(acc), tokens);
}

/** No decoder: tokens joined by spaces, as `tokenizers` does without one. */
export const spaceJoinDecoder: Decoder = (tokens) => [tokens.join(' ')];
