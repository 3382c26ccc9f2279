/**
 * A string being normalised that remembers, for each of its C code points, the `[start, end)` UTF-16
 * span of the input it came from — `tokenizers`' NormalizedString, with the same alignment rules,
 * so token offsets point into the user's text whatever the normalisers did.
 */

/** One output code point and its `tokenizers` change tag: 0 replaces the next input code point,
 * +1 is inserted (it shares the previous input's span), -n replaces the next one and drops n more. */
export type Change = readonly [char: string, change: number];

/** How a split treats the pieces a pattern matched. */
export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

/** A match list over code-point indices: `[from, to, isMatch]`, covering the string in order. */
export type Matches = [from: number, to: number, isMatch: boolean][];

/** See the file comment. Mutable: normalisers change it in place. */
export class NormalizedString {
  /** [C] code points. */
  chars: string[];
  /** [C] input start of each code point. */
  starts: number[];
  /** [C] input end of each code point. */
  ends: number[];
  /** Input position this string's input begins at (`tokenizers`' `original_shift`). */
  readonly originalStart: number;

  constructor(chars: string[], starts: number[], ends: number[], originalStart: number) {
    this.chars = chars;
    this.starts = starts;
    this.ends = ends;
    this.originalStart = originalStart;
  }

  /**
   * The string of `text`; a lone surrogate (no UTF-8 form) becomes U+FFFD, keeping its span.
   * @example NormalizedString.from('a😀').starts // [0, 1]
   */
  static from(text: string, offset = 0): NormalizedString {
    const chars: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      chars.push(cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : String.fromCodePoint(cp));
      starts.push(offset + i);
      ends.push(offset + i + width);
      i += width;
    }
    return new NormalizedString(chars, starts, ends, offset);
  }

  get length(): number {
    return this.chars.length;
  }

  get text(): string {
    return this.chars.join('');
  }

  /** Input span of code points [from, to) (non-empty). */
  span(from: number, to: number): [number, number] {
    return [this.starts[from]!, this.ends[to - 1]!];
  }

  /**
   * Replaces the whole string by `changes` (see {@link Change}), after dropping `initialOffset`
   * code points from the front — `tokenizers`' `transform`.
   */
  transform(changes: Iterable<Change>, initialOffset = 0): void {
    const chars: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let at = initialOffset;
    for (const [char, change] of changes) {
      let start: number;
      let end: number;
      if (change > 0) {
        [start, end] = at < 1 ? [this.originalStart, this.originalStart] : [this.starts[at - 1]!, this.ends[at - 1]!];
      } else {
        start = this.starts[at]!;
        end = this.ends[at]!;
        at += 1 - change;
      }
      chars.push(char);
      starts.push(start);
      ends.push(end);
    }
    this.chars = chars;
    this.starts = starts;
    this.ends = ends;
  }

  /** Each code point → one or more code points (never none), which all keep its span. */
  map(fn: (char: string) => string): void {
    const changes: Change[] = [];
    for (const char of this.chars) {
      let i = 0;
      for (const piece of fn(char)) changes.push([piece, i++ === 0 ? 0 : 1]);
    }
    this.transform(changes);
  }

  /** Keeps the code points `keep` accepts; the others are dropped and the rest keep their spans. */
  filter(keep: (char: string) => boolean): void {
    const chars: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    this.chars.forEach((char, i) => {
      if (!keep(char)) return;
      chars.push(char);
      starts.push(this.starts[i]!);
      ends.push(this.ends[i]!);
    });
    this.chars = chars;
    this.starts = starts;
    this.ends = ends;
  }

  /** Puts `prefix` in front; it takes the first code point's span (nothing happens when empty). */
  prepend(prefix: string): void {
    if (this.length === 0 || prefix === '') return;
    const pieces = [...prefix];
    const changes: Change[] = pieces.map((piece, i) => [piece, i === 0 ? 0 : 1]);
    changes.push([this.chars[0]!, 1]);
    for (let i = 1; i < this.length; i++) changes.push([this.chars[i]!, 0]);
    this.transform(changes);
  }

  /** Replaces every match by `content`, whose code points take the span of the match's last one. */
  replace(matches: Matches, content: string): void {
    const chars: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const pieces = [...content];
    for (const [from, to, isMatch] of matches) {
      if (!isMatch) {
        for (let i = from; i < to; i++) {
          chars.push(this.chars[i]!);
          starts.push(this.starts[i]!);
          ends.push(this.ends[i]!);
        }
        continue;
      }
      const [start, end] = to < 1 ? [this.originalStart, this.originalStart] : [this.starts[to - 1]!, this.ends[to - 1]!];
      for (const piece of pieces) {
        chars.push(piece);
        starts.push(start);
        ends.push(end);
      }
    }
    this.chars = chars;
    this.starts = starts;
    this.ends = ends;
  }

  /** Removes leading and/or trailing white space (Unicode White_Space). */
  strip(left: boolean, right: boolean): void {
    let from = 0;
    let to = this.length;
    if (left) while (from < to && WHITE_SPACE.test(this.chars[from]!)) from++;
    if (right) while (to > from && WHITE_SPACE.test(this.chars[to - 1]!)) to--;
    if (from === 0 && to === this.length) return;
    this.chars = this.chars.slice(from, to);
    this.starts = this.starts.slice(from, to);
    this.ends = this.ends.slice(from, to);
  }

  /** Code points [from, to) as a string of their own. */
  slice(from: number, to: number): NormalizedString {
    const originalStart = from < to ? this.starts[from]! : this.originalStart;
    return new NormalizedString(this.chars.slice(from, to), this.starts.slice(from, to), this.ends.slice(from, to), originalStart);
  }

  /**
   * Splits on `matches` with `tokenizers`' delimiter behaviours; empty pieces are dropped.
   * @example 'the-final' split on '-' with 'MergedWithNext' → ['the', '-final']
   */
  split(matches: Matches, behavior: SplitBehavior): NormalizedString[] {
    const pieces: [number, number][] = [];
    let previousMatch = false;
    if (behavior === 'MergedWithNext') {
      for (let k = matches.length - 1; k >= 0; k--) {
        const [from, to, isMatch] = matches[k]!;
        if (isMatch && !previousMatch && pieces.length > 0) pieces[pieces.length - 1]![0] = from;
        else pieces.push([from, to]);
        previousMatch = isMatch;
      }
      pieces.reverse();
    } else {
      for (const [from, to, isMatch] of matches) {
        if (behavior === 'Removed' && isMatch) continue;
        const last = pieces[pieces.length - 1];
        const merge =
          (behavior === 'Contiguous' && isMatch === previousMatch) || (behavior === 'MergedWithPrevious' && isMatch && !previousMatch);
        if (merge && last !== undefined) last[1] = to;
        else pieces.push([from, to]);
        previousMatch = isMatch;
      }
    }
    return pieces.filter(([from, to]) => to > from).map(([from, to]) => this.slice(from, to));
  }
}

const WHITE_SPACE = /^\p{White_Space}$/u;

/**
 * Matches of a code-point predicate, each matching code point on its own.
 * @example charMatches(['a', ' ', 'b'], (c) => c === ' ') // [[0,1,false],[1,2,true],[2,3,false]]
 */
export function charMatches(chars: readonly string[], isMatch: (char: string) => boolean): Matches {
  const out: Matches = [];
  let last = 0;
  chars.forEach((char, i) => {
    if (!isMatch(char)) return;
    if (last < i) out.push([last, i, false]);
    out.push([i, i + 1, true]);
    last = i + 1;
  });
  if (last < chars.length) out.push([last, chars.length, false]);
  return out;
}

/**
 * Matches of a global regex over the code points, converted from UTF-16 indices.
 * Empty matches are kept (they give empty pieces, which splits drop).
 */
export function regexMatches(chars: readonly string[], regex: RegExp): Matches {
  const text = chars.join('');
  if (text === '') return [];
  // UTF-16 index → code-point index, for the indices a match can start or end at.
  const toCp = new Int32Array(text.length + 1);
  let unit = 0;
  chars.forEach((char, i) => {
    toCp[unit] = i;
    if (char.length === 2) toCp[unit + 1] = i;
    unit += char.length;
  });
  toCp[text.length] = chars.length;
  const out: Matches = [];
  let last = 0;
  regex.lastIndex = 0;
  for (const match of text.matchAll(regex)) {
    const from = toCp[match.index]!;
    const to = toCp[match.index + match[0].length]!;
    if (last !== from) out.push([last, from, false]);
    out.push([from, to, true]);
    last = to;
  }
  if (last !== chars.length) out.push([last, chars.length, false]);
  return out;
}

/** Flips which pieces are matches (`tokenizers`' `Invert`). */
export function invert(matches: Matches): Matches {
  return matches.map(([from, to, isMatch]) => [from, to, !isMatch]);
}
