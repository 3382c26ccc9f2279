// A deterministic ≥ 1 MB mixed corpus for GPT-2 parity and the benchmark: generated English
// prose, TypeScript/JavaScript source read from node_modules, Hangul, emoji, combining marks,
// other scripts, whitespace runs, digits and punctuation. Same bytes on every run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a tiny seeded PRNG so the corpus never changes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `the of and to in is was he for it with as his on be at by had are but from or have an they which
one you were her all she there would their we him been has when who will more no if out so said what up its about
into than them can only other new some could time these two may then do first any my now such like our over man me
even most made after also did many before must through back years where much your way well down should because each
just those people how too little state good very make world still own see men work long get here between both life
being under never day same another know while last might us great old year off come since against go came right used
take three attention transformer token tokenizer encoder decoder gradient tensor matrix softmax embedding layer query
key value head mask padding sequence batch model training loss optimizer learning rate weight bias Seoul London Paris`.split(/\s+/);
const CONTRACTIONS = ["don't", "I'm", "we've", "they're", "it's", "I'll", "he'd", "can't", "won't", "you're", "'s"];
const PUNCT = ['.', ',', ';', ':', '!', '?', '...', ' —', ' (see below)', '"', "'", '?!', ' -', '…'];

function prose(random: () => number, sentences: number): string {
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const n = 4 + Math.floor(random() * 16);
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = random();
      if (r < 0.05) words.push(CONTRACTIONS[Math.floor(random() * CONTRACTIONS.length)]!);
      else if (r < 0.09) words.push(String(Math.floor(random() * 10 ** (1 + Math.floor(random() * 7)))));
      else words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    }
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    out.push(words.join(' ') + PUNCT[Math.floor(random() * PUNCT.length)]!);
    if (random() < 0.15) out.push('\n\n');
    else out.push(' ');
  }
  return out.join('');
}

const HANGUL = [
  '안녕하세요, 세계! 트랜스포머는 어텐션으로 문장을 이해합니다.',
  '서울의 날씨는 맑고, 기온은 섭씨 23도입니다.',
  '한국어 토크나이저는 바이트 단위로 음절을 나눕니다: 한글 한 글자는 UTF-8로 3바이트예요.',
  '우리는 모델을 훈련하고 평가했습니다 ― 정확도 97.5%!',
];
const OTHER_SCRIPTS = [
  'Ελληνικά κείμενα με τόνους: άέήίόύώ.', 'Русский текст: привет, мир!', 'العربية: مرحبا بالعالم',
  'हिन्दी: नमस्ते दुनिया', '日本語のテキストと漢字、カタカナ。', '中文：你好，世界！', 'ภาษาไทย สวัสดีชาวโลก',
  'Tiếng Việt: Xin chào thế giới', 'עברית: שלום עולם',
];
const EMOJI = ['😀', '👍🏽', '👩‍👩‍👧‍👦', '🇰🇷', '🏳️‍🌈', '🤖', '❤️', '🎉🎉🎉', '🧑🏿‍💻', '✅', '🔥', '1️⃣'];
const COMBINING = ['e\u0301', 'n\u0303', 'a\u0308\u0304', 'Z\u0351\u036b\u0343\u036a\u0302', '\u1100\u1161\u11a8', 'o\u0328\u0301'];
const SPACES = ['  ', '   ', '\t', '\t\t', '\n', '\r\n', '\n\n\n', ' \n ', '\u00a0', '\u3000', '    \n', '\u2003', ' \t '];
const SYMBOLS = ['$1,234.56', '100%', '3.14159', '#hashtag', '@user', 'a+b=c', '<<>>', '~~~', '...', '!!!', '¿¡', '§12', '2024-05-17T12:00:00Z', '0x1F600', '1e-9'];

function mixed(random: () => number, items: number): string {
  const pools = [HANGUL, OTHER_SCRIPTS, EMOJI, COMBINING, SPACES, SYMBOLS];
  const out: string[] = [];
  for (let i = 0; i < items; i++) {
    const pool = pools[Math.floor(random() * pools.length)]!;
    out.push(pool[Math.floor(random() * pool.length)]!);
    out.push(random() < 0.5 ? ' ' : prose(random, 1));
  }
  return out.join('');
}

/** TypeScript declarations shipped in node_modules (source code with comments and indentation). */
function sourceCode(): string {
  const lib = join(process.cwd(), 'node_modules', 'typescript', 'lib');
  return ['lib.es5.d.ts', 'lib.es2015.core.d.ts', 'lib.es2015.promise.d.ts', 'lib.es2017.object.d.ts', 'lib.decorators.d.ts']
    .map((file) => readFileSync(join(lib, file), 'utf8'))
    .join('\n');
}

let cached: string | undefined;

/**
 * The corpus (≈ 1.3 MB of UTF-8). Reads TypeScript's lib files relative to the working
 * directory, so run from packages/tokenizer (vitest and `pnpm bench` do).
 */
export function mixedCorpus(): string {
  if (cached !== undefined) return cached;
  const random = rng(20240517);
  cached = [prose(random, 4500), sourceCode(), mixed(random, 6000), prose(random, 1500), mixed(random, 3000)].join('\n');
  return cached;
}
