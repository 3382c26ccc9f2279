/**
 * BERT's BasicTokenizer (google-research/bert, Hugging Face `BertPreTokenizer` + normalizer):
 * drop control characters, split on whitespace, put every CJK ideograph and punctuation mark in a
 * word of its own, optionally lower-case and strip accents (NFD, then remove `\p{Mn}`).
 * Unlike the original, every output character remembers the input span it came from.
 */

/** Options of the basic tokenizer. */
export interface BasicTokenizerOptions {
  /** Lower-case words (bert-base-uncased). Default true. */
  lowercase?: boolean;
  /** Remove accents. Default: the value of `lowercase`, as in Hugging Face. */
  stripAccents?: boolean;
  /** Put every CJK ideograph in a word of its own (Hugging Face `handle_chinese_chars`). Default true. */
  tokenizeChineseChars?: boolean;
}

/** One word after normalisation: C code points and, for each, its `[start, end)` in the input. */
export interface BasicWord {
  /** [C] normalised code points */
  chars: string[];
  /** [C] input UTF-16 start of the character each code point came from */
  starts: number[];
  /** [C] input UTF-16 end of that character */
  ends: number[];
}

const CONTROL = /^[\p{Cc}\p{Cf}]$/u;
const SPACE_SEPARATOR = /^\p{Zs}$/u;
const PUNCTUATION = /^\p{P}$/u;
const MARK_NONSPACING = /\p{Mn}/gu;

/** BERT's whitespace: space, tab, newline, carriage return, or any `Zs`. */
export function isBertWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || SPACE_SEPARATOR.test(ch);
}

/** BERT's control characters (`Cc`/`Cf` except tab, newline, carriage return), plus U+0000 and U+FFFD. */
export function isBertControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return ch === '\u0000' || ch === '\ufffd' || CONTROL.test(ch);
}

/** BERT's punctuation: all non-alphanumeric ASCII (`$`, `^`, `` ` `` included) or Unicode `P*`. */
export function isBertPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return PUNCTUATION.test(ch);
}

/** The CJK Unified Ideograph blocks BERT splits per character (Hangul and kana are not among them). */
export function isCjkIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/**
 * Text → words with spans.
 * @example basicTokenize('Héllo, 世界!').map((w) => w.chars.join('')) // ['hello', ',', '世', '界', '!']
 */
export function basicTokenize(text: string, options: BasicTokenizerOptions = {}): BasicWord[] {
  const lowercase = options.lowercase ?? true;
  const stripAccents = options.stripAccents ?? lowercase;
  const chinese = options.tokenizeChineseChars ?? true;
  const words: BasicWord[] = [];
  let word: BasicWord = { chars: [], starts: [], ends: [] };
  const endWord = () => {
    if (word.chars.length > 0) words.push(word);
    word = { chars: [], starts: [], ends: [] };
  };
  let at = 0;
  for (const ch of text) {
    const start = at;
    at += ch.length;
    if (isBertControl(ch)) continue; // removed, so its neighbours join (as in BERT)
    if (isBertWhitespace(ch)) {
      endWord();
      continue;
    }
    const alone = (chinese && isCjkIdeograph(ch.codePointAt(0)!)) || isBertPunctuation(ch);
    if (alone) endWord();
    let normal = lowercase ? ch.toLowerCase() : ch;
    if (stripAccents) normal = normal.normalize('NFD').replace(MARK_NONSPACING, '');
    for (const piece of normal) {
      word.chars.push(piece);
      word.starts.push(start);
      word.ends.push(at);
    }
    if (alone) endWord();
  }
  endWord();
  return words;
}
