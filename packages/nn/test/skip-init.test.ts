// skipInit: constructors draw nothing and leave zeros, for models whose weights are loaded next.
import { Embedding, GRU, Linear, init } from '../src/index.js';
import { tensor } from '@qkv/tensor-core';
import { describe, expect, it } from 'vitest';

describe('init.skipInit', () => {
  it('leaves Linear, Embedding and GRU parameters at zero and makes initialisers no-ops', () => {
    const [linear, embedding, gru] = init.skipInit(() => [new Linear(3, 4), new Embedding(5, 2), new GRU(2, 3)] as const);
    for (const p of [...linear.parameters(), ...embedding.parameters(), ...gru.parameters()]) expect(Array.from(p.dataSync()).every((v) => v === 0)).toBe(true);
    const t = tensor([1, 2, 3]);
    init.skipInit(() => init.normal_(t, 0, 1));
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
  });

  it('is scoped: outside it (and after a throw inside it) layers are random again', () => {
    expect(() => init.skipInit(() => { throw new Error('boom'); })).toThrow('boom');
    expect(init.initSkipped()).toBe(false);
    expect(Array.from(new Linear(3, 4).weight.dataSync()).some((v) => v !== 0)).toBe(true);
  });
});
