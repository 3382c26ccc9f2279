// Tokenizer panel: the same text through char, byte-level BPE and WordPiece, with ids and offsets.
import { BPETokenizer, CharTokenizer, WordPieceTokenizer, WordTokenizer } from '@qkv/tokenizer';
import { t } from '../i18n.js';
import { h, selectInput } from '../ui/dom.js';
import type { View } from './view.js';

/** A small bilingual corpus the demo trains its BPE on (in the browser, in a few ms). */
const CORPUS = [
  'Attention lets every token look at every other token and decide what matters.',
  'The transformer stacks attention and feed-forward layers with residual connections.',
  'Queries, keys and values are linear projections of the same embeddings.',
  'Positional encodings tell the model where each token is in the sequence.',
  'Training the model means lowering the cross-entropy loss step by step.',
  '어텐션은 모든 토큰이 다른 모든 토큰을 보고 무엇이 중요한지 정하게 합니다.',
  '트랜스포머는 어텐션과 피드포워드 층을 잔차 연결로 쌓습니다.',
  '쿼리, 키, 값은 같은 임베딩의 선형 사영입니다.',
  '위치 인코딩은 각 토큰이 문장 어디에 있는지 모델에게 알려 줍니다.',
];

let cache: { char: CharTokenizer; bpe: BPETokenizer; wordpiece: WordPieceTokenizer } | undefined;

/** Builds the three tokenizers once. WordPiece gets a small vocabulary from the corpus's words and their pieces. */
function tokenizers() {
  if (cache) return cache;
  const char = CharTokenizer.fromCorpus(CORPUS);
  const bpe = BPETokenizer.train(CORPUS, { vocabSize: 400, minFrequency: 2 });
  const words = WordTokenizer.fromCorpus(CORPUS.map((s) => s.toLowerCase()), { minFreq: 2 });
  const pieces = new Set<string>(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  for (const line of CORPUS) for (const ch of line.toLowerCase()) if (ch.trim()) [ch, `##${ch}`].forEach((p) => pieces.add(p));
  for (let id = 0; id < words.vocabSize; id++) {
    const w = words.idToToken(id);
    if (w && !w.startsWith('<')) pieces.add(w);
  }
  for (const suffix of ['ing', 'ed', 's', 'tion', 'ers', 'al', '니다', '습니다']) pieces.add(`##${suffix}`);
  const wordpiece = WordPieceTokenizer.fromTokens([...pieces]);
  cache = { char, bpe, wordpiece };
  return cache;
}

const HUES = [210, 30, 120, 280, 0, 170, 60, 320];
/** Longer text is cut by the text box itself; the note under it says so. */
const MAX_CHARS = 2000;

export const tokenizerView: View = {
  id: 'tokenizer',
  render(container, params, setParams) {
    const input = h('textarea', { rows: 3, cols: 70, name: 'text', class: 'mono', maxlength: MAX_CHARS });
    input.value = params.get('text') ?? 'Transformers love attention. 트랜스포머는 어텐션을 좋아합니다! 🤖';
    const [kindLabel, kind] = selectInput(t({ en: 'Tokenizer', ko: '토크나이저' }), [
      ['char', t({ en: 'characters (code points)', ko: '문자 (코드 포인트)' })],
      ['bpe', t({ en: 'byte-level BPE (GPT-2 style, trained here)', ko: '바이트 수준 BPE (GPT-2 방식, 여기서 학습)' })],
      ['wordpiece', t({ en: 'WordPiece (BERT style)', ko: 'WordPiece (BERT 방식)' })],
    ], params.get('tok') ?? 'bpe', 'tok');
    const out = h('div', {});
    const draw = () => {
      setParams({ tok: kind.value, text: input.value });
      const tok = tokenizers()[kind.value as 'char' | 'bpe' | 'wordpiece'];
      const enc = tok.encodeWithOffsets(input.value);
      let shownUpTo = 0; // text before this index is already on an earlier chip
      const chips = enc.tokens.map((token, i) => {
        const [s, e] = enc.offsets[i] ?? [0, 0];
        const hue = HUES[i % HUES.length]!;
        // Show the text a token stands for, not its symbols: byte-level BPE writes a space as 'Ġ' and
        // UTF-8 bytes as Latin-1 letters. The bytes of one character (Hangul, emoji) can fall into
        // several tokens that each cover the whole character: its text goes on the first, '…' on the rest.
        const span = input.value.slice(s, e);
        const fresh = input.value.slice(Math.max(s, shownUpTo), e);
        shownUpTo = Math.max(shownUpTo, e);
        const shown = span === '' ? token : fresh === '' ? '…' : fresh;
        return h('span', { class: 'tok', style: { background: `hsl(${hue} 70% 88%)` }, title: `token ${JSON.stringify(token)} · id ${enc.ids[i]} · chars [${s}, ${e}) = ${JSON.stringify(span)}`, 'data-token': token }, shown);
      });
      out.replaceChildren(
        h('p', {}, `${enc.ids.length} ${t({ en: 'tokens', ko: '토큰' })} · ${t({ en: 'vocabulary', ko: '어휘' })} ${tok.vocabSize}`),
        h('div', { class: 'tokens', 'data-tokens': String(enc.ids.length) }, ...chips),
        h('p', { class: 'mono muted' }, `ids: [${enc.ids.join(', ')}]`),
        h('p', { class: 'mono muted' }, `decode(ids) = ${JSON.stringify(tok.decode(enc.ids))}`),
      );
    };
    input.addEventListener('input', draw);
    kind.addEventListener('change', draw);
    container.append(
      h('section', { class: 'card' },
        h('h2', {}, t({ en: 'Tokenizers', ko: '토크나이저' })),
        h('p', { class: 'lead' }, t({
          en: 'A model never sees letters, only token ids. Hover a token for its id and the exact characters it covers (its offsets) — the spans the heatmaps label their rows with.',
          ko: '모델은 글자가 아니라 토큰 id만 봅니다. 토큰 위에 마우스를 올리면 id와 그 토큰이 덮는 글자 범위(오프셋)가 보입니다. 히트맵의 행 이름이 이 범위입니다.',
        })),
        h('div', { class: 'row' }, kindLabel),
        input,
        h('p', { class: 'muted' }, t({ en: `Up to ${MAX_CHARS.toLocaleString('en')} characters; longer text is cut.`, ko: `최대 ${MAX_CHARS.toLocaleString('en')}자까지, 더 긴 글은 잘립니다.` })),
        out,
      ),
    );
    draw();
  },
};
