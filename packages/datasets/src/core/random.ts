import { checkInteger } from './errors.js';

/**
 * A small seeded PRNG (sfc32, seeded through splitmix32), so shuffles and synthetic data are the
 * same on every platform and run. Not for cryptography.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /**
   * @param seed any integer (taken modulo 2³²); equal seeds give equal streams.
   * @example new Random(42).next() // a number in [0, 1), the same on every run
   */
  constructor(seed: number) {
    checkInteger('Random', 'seed', seed, Number.MIN_SAFE_INTEGER);
    let state = seed >>> 0;
    const splitmix = () => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = splitmix();
    this.#b = splitmix();
    this.#c = splitmix();
    this.#d = splitmix();
    for (let i = 0; i < 12; i++) this.nextUint32(); // mix the seed in
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). @example new Random(1).next() < 1 // true */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * An integer in [0, n), without modulo bias.
   * @example new Random(1).int(6) // 0…5
   */
  int(n: number): number {
    checkInteger('Random.int', 'n', n, 1, 2 ** 32);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** An integer in [min, max], both included. @example rng.intBetween(1, 12) */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** One element of a non-empty array. @example rng.pick(['a', 'b']) */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffleInPlace<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * A copy of `items` in an order fixed by `seed`.
 * @example shuffle([1, 2, 3], 7) // the same permutation on every run
 */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  return new Random(seed).shuffleInPlace([...items]);
}

/**
 * [n] a permutation of 0…n−1 fixed by `seed`.
 * @example permutation(4, 0) // e.g. [2, 0, 3, 1]
 */
export function permutation(n: number, seed: number): number[] {
  checkInteger('permutation', 'n', n, 0);
  return shuffle(Array.from({ length: n }, (_, i) => i), seed);
}
