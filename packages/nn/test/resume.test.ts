import { describe, expect, it } from 'vitest';
import { Generator, randint, randn, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { AdamW, Dropout, Embedding, GRU, LRScheduler, Linear, Module, SGD, clipGradNorm, cosineWithWarmup, crossEntropy, loadCheckpoint, saveCheckpoint, weightDecayGroups } from '../src/index.js';

class Tagger extends Module {
  embed: Embedding;
  rnn: GRU;
  drop: Dropout;
  head: Linear;
  constructor(seed: number, readonly dropGen: Generator) {
    super();
    const g = new Generator(seed);
    this.embed = new Embedding(11, 6, { paddingIdx: 0, generator: g });
    this.rnn = new GRU(6, 5, { bidirectional: true, batchFirst: true, generator: g });
    this.drop = new Dropout(0.2, { generator: dropGen });
    this.head = new Linear(10, 11, { generator: g });
  }
  override forward(ids: Tensor): Tensor {
    const [out] = this.rnn.forward(this.embed.forward(ids)); // [B, T, 10]
    return this.head.forward(this.drop.forward(out)); // [B, T, 11]
  }
}

const data = (step: number) => {
  const g = new Generator(1000 + step);
  return { x: randint(0, 11, [2, 4], { generator: g }), y: randint(0, 11, [2, 4], { generator: g }) };
};

function setup() {
  const dropGen = new Generator(5);
  const model = new Tagger(3, dropGen);
  const optimizer = new AdamW(weightDecayGroups(model, 0.05), { lr: 0.01 });
  const scheduler = new LRScheduler(optimizer, cosineWithWarmup(2, 10));
  return { model, optimizer, scheduler, dropGen };
}

function train(s: ReturnType<typeof setup>, from: number, to: number): void {
  for (let step = from; step < to; step++) {
    const { x, y } = data(step);
    tidy(() => {
      const logits = s.model.forward(x);
      crossEntropy(logits.reshape([8, 11]), y.reshape([8]), { labelSmoothing: 0.1 }).backward();
    });
    clipGradNorm(s.model.parameters(), 1);
    s.optimizer.step();
    s.optimizer.zeroGrad();
    s.scheduler.step();
    x.dispose();
    y.dispose();
  }
}

describe('save → load → continue', () => {
  it('gives bit-identical parameters to an uninterrupted run (AdamW, schedule, dropout RNG, GRU)', () => {
    const straight = setup();
    train(straight, 0, 8);

    const first = setup();
    train(first, 0, 4);
    const bytes = saveCheckpoint({ model: first.model, optimizer: first.optimizer, scheduler: first.scheduler, generator: first.dropGen, extra: { step: 4 } });

    const resumed = setup();
    const { extra } = loadCheckpoint(bytes, { model: resumed.model, optimizer: resumed.optimizer, scheduler: resumed.scheduler, generator: resumed.dropGen });
    expect(extra).toEqual({ step: 4 });
    expect(resumed.scheduler.getLastLr()).toEqual(first.scheduler.getLastLr());
    train(resumed, 4, 8);

    const a = straight.model.stateDict();
    const b = resumed.model.stateDict();
    for (const k of Object.keys(a)) expect(Buffer.from(b[k]!.dataSync().buffer).equals(Buffer.from(a[k]!.dataSync().buffer)), k).toBe(true);
    const ua = straight.model.stateDict()['head.weight']!.dataSync();
    const first4 = first.model.stateDict()['head.weight']!.dataSync();
    expect(Array.from(ua)).not.toEqual(Array.from(first4)); // the last four steps did change the weights
  });

  it('restores SGD momentum buffers exactly through the optimizer state dict', () => {
    const make = () => {
      const lin = new Linear(3, 2, { generator: new Generator(9) });
      return { lin, opt: new SGD(lin.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true }) };
    };
    const run = (s: ReturnType<typeof make>, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const x = randn([4, 3], { generator: new Generator(i) });
        tidy(() => s.lin.forward(x).square().mean().backward());
        s.opt.step();
        s.opt.zeroGrad();
      }
    };
    const straight = make();
    run(straight, 0, 6);
    const a = make();
    run(a, 0, 3);
    const b = make();
    b.lin.loadStateDict(a.lin.stateDict());
    b.opt.loadStateDict(a.opt.stateDict());
    run(b, 3, 6);
    expect(Array.from(b.lin.weight.dataSync())).toEqual(Array.from(straight.lin.weight.dataSync()));
  });

  it('rejects an optimizer state dict whose groups do not match', () => {
    const lin = new Linear(2, 2);
    const opt = new AdamW(lin.parameters());
    const other = new AdamW(weightDecayGroups(lin, 0.1));
    expect(() => opt.loadStateDict(other.stateDict())).toThrow('AdamW.loadStateDict: expected 1 param groups, got 2');
  });
});
