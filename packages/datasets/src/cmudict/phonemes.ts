/** The 39 ARPAbet phonemes of CMUdict, without stress. */
export const ARPABET_PHONEMES: readonly string[] = Object.freeze([
  'AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'B', 'CH', 'D', 'DH', 'EH', 'ER', 'EY', 'F', 'G', 'HH', 'IH', 'IY', 'JH', 'K',
  'L', 'M', 'N', 'NG', 'OW', 'OY', 'P', 'R', 'S', 'SH', 'T', 'TH', 'UH', 'UW', 'V', 'W', 'Y', 'Z', 'ZH',
]);

/** The 15 vowels, which carry a stress digit (0 none, 1 primary, 2 secondary) in CMUdict. */
export const ARPABET_VOWELS: readonly string[] = Object.freeze(['AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW']);

const PHONEME = /^([A-Z]{1,2})([012]?)$/;
const KNOWN = new Set(ARPABET_PHONEMES);

/**
 * Whether `symbol` is a CMUdict phoneme: one of the 39 ARPAbet symbols, with an optional stress
 * digit 0/1/2 on a vowel.
 * @example isPhoneme('AH0') // true; isPhoneme('B1') // false
 */
export function isPhoneme(symbol: string): boolean {
  const match = PHONEME.exec(symbol);
  if (match === null || !KNOWN.has(match[1]!)) return false;
  return match[2] === '' || ARPABET_VOWELS.includes(match[1]!);
}

/**
 * Removes stress digits. Accepts a phoneme array or a space-separated string and returns the same kind.
 * @example stripStress(['HH', 'AH0', 'L', 'OW1']) // ['HH', 'AH', 'L', 'OW']
 * @example stripStress('HH AH0 L OW1') // 'HH AH L OW'
 */
export function stripStress(phonemes: readonly string[]): string[];
export function stripStress(phonemes: string): string;
export function stripStress(phonemes: string | readonly string[]): string | string[] {
  if (typeof phonemes === 'string') return phonemes.replace(/[012]/g, '');
  return phonemes.map((p) => p.replace(/[012]$/, ''));
}
