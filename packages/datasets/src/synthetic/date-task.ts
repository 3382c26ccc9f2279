import { CharTokenizer } from '@qkv/tokenizer';
import { checkInteger, datasetError } from '../core/errors.js';
import { Random } from '../core/random.js';
import type { TextPair } from '../core/types.js';
import { dayOfWeek, daysInMonth, MONTHS, WEEKDAYS } from './calendar.js';

/** A calendar date. */
export interface CalendarDate {
  year: number;
  /** 1…12 */
  month: number;
  /** 1…31 */
  day: number;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
const monthName = (d: CalendarDate) => MONTHS[d.month - 1]!;
const weekdayName = (d: CalendarDate) => WEEKDAYS[dayOfWeek(d.year, d.month, d.day)]!;

/** The input formats of the date task; the separator tells `us` (m/d/y) from `eu` (d.m.y). */
export const DATE_FORMATS = Object.freeze({
  /** Thursday, June 25, 2009 */
  long: (d: CalendarDate) => `${weekdayName(d)}, ${monthName(d)} ${d.day}, ${d.year}`,
  /** June 25, 2009 */
  mdy: (d: CalendarDate) => `${monthName(d)} ${d.day}, ${d.year}`,
  /** 25 June 2009 */
  dmy: (d: CalendarDate) => `${d.day} ${monthName(d)} ${d.year}`,
  /** Thu, 25 Jun 2009 */
  short: (d: CalendarDate) => `${weekdayName(d).slice(0, 3)}, ${d.day} ${monthName(d).slice(0, 3)} ${d.year}`,
  /** June 25th, 2009 */
  ordinal: (d: CalendarDate) => `${monthName(d)} ${ordinal(d.day)}, ${d.year}`,
  /** 6/25/2009 */
  us: (d: CalendarDate) => `${d.month}/${d.day}/${d.year}`,
  /** 25.06.2009 */
  eu: (d: CalendarDate) => `${pad2(d.day)}.${pad2(d.month)}.${d.year}`,
});

/** Name of a date input format. */
export type DateFormat = keyof typeof DATE_FORMATS;

/**
 * ISO 8601 form of a date, the task's target.
 * @example isoDate({ year: 2009, month: 6, day: 25 }) // '2009-06-25'
 */
export function isoDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${pad2(d.month)}-${pad2(d.day)}`;
}

/** Options for {@link dateTask}. */
export interface DateTaskOptions {
  /** Number of pairs. */
  count: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** First year (included). Default 1950. */
  fromYear?: number;
  /** Last year (included). Default 2049. */
  toYear?: number;
  /** Input formats to draw from, uniformly. Default all of {@link DATE_FORMATS}. */
  formats?: readonly DateFormat[];
}

/**
 * Date normalisation pairs: a date written in one of several formats → `YYYY-MM-DD`.
 * @example dateTask({ count: 1, seed: 3, formats: ['long'] }) // [{ source: 'Thursday, June 25, 2009', target: '2009-06-25' }] (for some seed)
 */
export function dateTask(options: DateTaskOptions): TextPair[] {
  const fn = 'dateTask';
  const fromYear = options.fromYear ?? 1950;
  const toYear = options.toYear ?? 2049;
  checkInteger(fn, 'count', options.count, 0);
  checkInteger(fn, 'fromYear', fromYear, 1, 9999);
  checkInteger(fn, 'toYear', toYear, fromYear, 9999);
  const formats = options.formats ?? (Object.keys(DATE_FORMATS) as DateFormat[]);
  const unknown = formats.find((f) => !(f in DATE_FORMATS));
  if (formats.length === 0 || unknown !== undefined) throw datasetError(fn, `formats among ${Object.keys(DATE_FORMATS).join(', ')}`, unknown ?? 'none');
  const rng = new Random(options.seed ?? 0);
  return Array.from({ length: options.count }, () => {
    const year = rng.intBetween(fromYear, toYear);
    const month = rng.intBetween(1, 12);
    const date = { year, month, day: rng.intBetween(1, daysInMonth(year, month)) };
    return { source: DATE_FORMATS[rng.pick(formats)](date), target: isoDate(date) };
  });
}

/** Every character a date-task source can contain, sorted. */
export const DATE_SOURCE_ALPHABET: string = [...new Set([...MONTHS.join(''), ...WEEKDAYS.join(''), ...'0123456789 ,./stndrh'])].sort().join('');
/** Every character of a date-task target: digits and `-`. */
export const DATE_TARGET_ALPHABET = '-0123456789';

/**
 * Character tokenizers for the date task (`<pad> <sos> <eos> <unk>`, then the alphabet).
 * @example dateTaskTokenizers().target.vocabSize // 15
 */
export function dateTaskTokenizers(): { source: CharTokenizer; target: CharTokenizer } {
  return { source: CharTokenizer.fromAlphabet(DATE_SOURCE_ALPHABET), target: CharTokenizer.fromAlphabet(DATE_TARGET_ALPHABET) };
}
