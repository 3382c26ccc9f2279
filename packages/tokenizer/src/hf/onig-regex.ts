/**
 * `tokenizers` compiles `Split`/`Replace` regexes with Oniguruma; this turns the subset that
 * tokenizer.json files use (GPT-2/GPT-4/Llama-3 style patterns) into a JavaScript `u` regex with
 * the same meaning, and refuses what it cannot translate with a clear error:
 * - `\s \S \w \W \d \D` become their Unicode sets (JavaScript's are ASCII or differ: `\s` has U+FEFF);
 * - `(?i:…)` (no inline flags in Node 20) becomes case-expanded ASCII letters;
 * - escaped punctuation that `u` mode forbids (`\'`, `\#`) becomes the plain character.
 */
import { TokenizerError } from '../core/errors.js';

const SPACE = String.raw`\p{White_Space}`;
const NOT_SPACE = String.raw`\P{White_Space}`;
const WORD = String.raw`\p{L}\p{M}\p{Nd}\p{Pc}`;
const DIGIT = String.raw`\p{Nd}`;
const NOT_DIGIT = String.raw`\P{Nd}`;
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const MAX_PATTERN = 10_000;

/**
 * Onig pattern → global JavaScript RegExp. `fn`/`field` name the caller in errors.
 * @example onigToRegExp(String.raw`(?i:'s|'t)|\s+`, 'f', 'x').source // "(?:'[sS]|'[tT])|[\p{White_Space}]+"
 */
export function onigToRegExp(pattern: string, fn: string, field: string): RegExp {
  if (pattern.length > MAX_PATTERN) throw new TokenizerError(`${fn}: ${field}: expected a regex of at most ${MAX_PATTERN} characters, got ${pattern.length}`);
  let out = '';
  let inClass = 0; // depth of [...] (nested classes are Onig-only: refused)
  let caseless = 0; // depth of (?i: groups still open
  const groupKinds: boolean[] = []; // per open group: whether it is a (?i: group
  const refuse = (what: string) => new TokenizerError(`${fn}: ${field}: the regex construct ${what} is not supported (in ${JSON.stringify(pattern.slice(0, 80))})`);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw refuse('a trailing backslash');
      i++;
      switch (next) {
        case 's': out += inClass ? SPACE : `[${SPACE}]`; break;
        case 'S': out += NOT_SPACE; break;
        case 'w': out += inClass ? WORD : `[${WORD}]`; break;
        case 'W':
          if (inClass) throw refuse('\\W inside a character class');
          out += `[^${WORD}]`;
          break;
        case 'd': out += DIGIT; break;
        case 'D': out += NOT_DIGIT; break;
        case 'p':
        case 'P': {
          const close = pattern.indexOf('}', i);
          if (pattern[i + 1] !== '{' || close < 0) throw refuse(`\\${next} without {…}`);
          out += `\\${next}${pattern.slice(i + 1, close + 1)}`;
          i = close;
          break;
        }
        case 'n': case 'r': case 't': case 'f': case 'v': case 'b': case 'B':
          out += `\\${next}`;
          break;
        case 'x': case 'u': {
          const hex = /^(?:\{[0-9a-fA-F]{1,6}\}|[0-9a-fA-F]{2,4})/.exec(pattern.slice(i + 1));
          if (hex === null) throw refuse(`\\${next}`);
          const digits = hex[0].replace(/[{}]/g, '');
          out += `\\u{${digits}}`;
          i += hex[0].length;
          break;
        }
        default:
          if (/[0-9A-Za-z]/.test(next)) throw refuse(`\\${next}`);
          out += SYNTAX.has(next) || (inClass && next === '-') ? `\\${next}` : next;
      }
      continue;
    }
    if (inClass) {
      if (c === '[') throw refuse('a nested character class or [[:class:]]');
      if (c === ']') inClass = 0;
      if (caseless > 0 && /[A-Za-z]/.test(c)) throw refuse('a character class with letters inside (?i:…)');
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = 1;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') throw refuse('a class starting with ]');
      continue;
    }
    if (c === '(') {
      const rest = pattern.slice(i + 1, i + 4);
      if (rest.startsWith('?i:')) {
        groupKinds.push(true);
        caseless++;
        out += '(?:';
        i += 3;
        continue;
      }
      if (rest.startsWith('?>') || /^\?[imx-]/.test(rest) || rest.startsWith('?~')) throw refuse(`(${rest}`);
      groupKinds.push(false);
      out += c;
      continue;
    }
    if (c === ')') {
      if (groupKinds.pop() === true) caseless--;
      out += c;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') throw refuse('a possessive quantifier');
    out += caseless > 0 && /[A-Za-z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
  }
  try {
    return new RegExp(out, 'gu');
  } catch (error) {
    throw new TokenizerError(`${fn}: ${field}: expected a regex that compiles, got ${JSON.stringify(pattern.slice(0, 80))} (${(error as Error).message})`);
  }
}

/** A literal string as a global regex (`tokenizers` escapes String patterns the same way). */
export function literalRegExp(text: string): RegExp {
  return new RegExp(text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'gu');
}
