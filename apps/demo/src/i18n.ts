// English and Korean UI text. Every visible string goes through `t(key)`.
export type Lang = 'en' | 'ko';

const strings = {
  tagline: { en: 'look inside attention', ko: '어텐션 들여다보기' },
  backend: { en: 'Backend', ko: '백엔드' },
  footer: { en: 'Runs entirely in your browser: no network requests, no CDN, no hub.', ko: '모든 계산은 브라우저 안에서 실행됩니다. 네트워크, CDN, 허브를 쓰지 않습니다.' },
  'nav.g2p': { en: 'Pronounce', ko: '발음 예측' },
  'nav.inside': { en: 'Look inside a model', ko: '모델 들여다보기' },
  'nav.train': { en: 'Train', ko: '학습' },
  'nav.pipeline': { en: 'One head, step by step', ko: '헤드 하나, 단계별로' },
  'nav.masks': { en: 'Masks', ko: '마스크' },
  'nav.positions': { en: 'Positions', ko: '위치 인코딩' },
  'nav.heads': { en: 'Heads', ko: '멀티헤드' },
  'nav.tokenizer': { en: 'Tokenizers', ko: '토크나이저' },
  'nav.vit': { en: 'ViT digits', ko: 'ViT 숫자' },
  'nav.backends': { en: 'Backends', ko: '백엔드 비교' },
  export: { en: 'Export', ko: '내보내기' },
  loading: { en: 'Loading…', ko: '불러오는 중…' },
} as const;

export type StringKey = keyof typeof strings;

let lang: Lang = 'en';

/** The active language. */
export function getLang(): Lang {
  return lang;
}

/** Switches the language and re-labels every `[data-i18n]` element. */
export function setLang(next: Lang): void {
  lang = next;
  document.documentElement.lang = next;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset.i18n as StringKey;
    if (key in strings) el.textContent = t(key);
  }
}

/** The text of `key` in the active language, or of a literal `{en, ko}` pair. */
export function t(key: StringKey | { en: string; ko: string }): string {
  const entry = typeof key === 'string' ? strings[key] : key;
  return entry[lang];
}
