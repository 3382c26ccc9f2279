// A typed word becomes what the G2P models were trained on, or a message that says what is accepted.
import { describe, expect, it } from 'vitest';
import { DatasetError, normalizeWord } from '../src/index.js';

describe('normalizeWord', () => {
  it('folds case, surrounding space and compatibility forms into the training form', () => {
    for (const raw of ['hello', 'Hello', 'HeLLo', '  hello  ', '\thello\n', 'ｈｅｌｌｏ']) expect(normalizeWord(raw)).toBe('hello');
    expect(normalizeWord("O'Clock")).toBe("o'clock");
    expect(normalizeWord('X-Ray')).toBe('x-ray');
  });

  it('refuses what the models never saw, saying what is accepted', () => {
    expect(() => normalizeWord('')).toThrow(DatasetError);
    expect(() => normalizeWord('   ')).toThrow('normalizeWord: expected a word of letters a–z, got an empty input');
    expect(() => normalizeWord('42')).toThrow(`normalizeWord: expected a word of letters a–z (and ' - .), got "4" in "42"`);
    expect(() => normalizeWord('서울')).toThrow(`got "서" in "서울"`);
    expect(() => normalizeWord('café')).toThrow(`got "é" in "café"`);
    expect(() => normalizeWord('two words')).toThrow(`got " " in "two words"`);
    expect(() => normalizeWord("'-.")).toThrow('normalizeWord: expected at least one letter a–z');
  });

  it('refuses words longer than the limit, naming it', () => {
    expect(normalizeWord('a'.repeat(34))).toHaveLength(34);
    expect(() => normalizeWord('a'.repeat(35))).toThrow('normalizeWord: expected at most 34 letters, got 35');
    expect(() => normalizeWord('a'.repeat(200), { maxLength: 60 })).toThrow('expected at most 60 letters, got 200');
  });
});
