import { describe, expect, it } from 'vitest';
import type { Tensor} from '@qkv/tensor-core';
import { memory, ones, randn, tensor, tidy, zeros } from '@qkv/tensor-core';
import { Dropout, Embedding, LayerNorm, Linear, Module, ModuleDict, ModuleList, Parameter, ReLU, Sequential, isParameter } from '../src/index.js';

class Block extends Module {
  selfAttn = new Linear(4, 4);
  norm1 = new LayerNorm(4);
  drop = new Dropout(0.1);
  override forward(x: Tensor): Tensor {
    return this.norm1.forward(x.add(this.drop.forward(this.selfAttn.forward(x))));
  }
}

class Net extends Module {
  tokEmbedding = new Embedding(10, 4);
  layers = new ModuleList([new Block(), new Block()]);
  heads = new ModuleDict({ cls: new Linear(4, 2) });
  declare readonly runningMean: Tensor;
  constructor() {
    super();
    this.registerBuffer('runningMean', zeros([4]));
    this.registerBuffer('cache', ones([2]), false);
  }
}

describe('Module registration and names', () => {
  it('names parameters with PyTorch dotted snake_case names in registration order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'tok_embedding.weight',
      'layers.0.self_attn.weight', 'layers.0.self_attn.bias', 'layers.0.norm1.weight', 'layers.0.norm1.bias',
      'layers.1.self_attn.weight', 'layers.1.self_attn.bias', 'layers.1.norm1.weight', 'layers.1.norm1.bias',
      'heads.cls.weight', 'heads.cls.bias',
    ]);
  });

  it('puts persistent buffers in the state dict after the parameters of their module, and leaves out non-persistent ones', () => {
    const net = new Net();
    const keys = Object.keys(net.stateDict());
    expect(keys[0]).toBe('running_mean');
    expect(keys).not.toContain('cache');
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'cache']);
    expect(keys).toHaveLength(12);
  });

  it('counts parameters: Linear(4,3) has 4·3 + 3', () => {
    expect(new Linear(4, 3).numParameters()).toBe(15);
    expect(new Net().numParameters()).toBe(40 + 2 * (20 + 8) + 10);
  });

  it('lists shared (tied) weights once in parameters() but under both names in the state dict', () => {
    class Tied extends Module {
      emb = new Embedding(5, 3);
      out = new Linear(3, 5, { bias: false });
      constructor() {
        super();
        this.out.weight = this.emb.weight;
      }
    }
    const m = new Tied();
    expect(m.parameters()).toHaveLength(1);
    expect(Object.keys(m.stateDict())).toEqual(['emb.weight', 'out.weight']);
  });

  it('refuses a plain array of modules, pointing at ModuleList', () => {
    class Bad extends Module {
      layers = [new Linear(2, 2)];
    }
    expect(() => new Bad().parameters()).toThrow(/field 'layers' is an array of Modules; use ModuleList/);
  });

  it('registerParameter keeps an exact name', () => {
    class M extends Module {
      constructor() {
        super();
        this.registerParameter('weight_hh_l0_reverse', Parameter(zeros([2])));
      }
    }
    expect(Object.keys(new M().stateDict())).toEqual(['weight_hh_l0_reverse']);
  });

  it('train() and eval() reach every descendant', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
  });

  it('apply visits children before parents, every module once', () => {
    const seen: string[] = [];
    new Sequential(new Linear(1, 1), new ReLU()).apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['Linear', 'ReLU', 'Sequential']);
  });

  it('prints like PyTorch', () => {
    expect(new Sequential(new Linear(4, 2), new ReLU()).toString()).toBe(
      'Sequential(\n  (0): Linear(in_features=4, out_features=2, bias=true)\n  (1): ReLU()\n)',
    );
  });

  it('parameters survive tidy and require grad', () => {
    let lin: Linear | undefined;
    tidy(() => {
      lin = new Linear(3, 2);
    });
    if (!lin) throw new Error('unreachable');
    expect(lin.weight.isDisposed).toBe(false);
    expect(isParameter(lin.weight) && lin.weight.requiresGrad).toBe(true);
  });
});

describe('loadStateDict', () => {
  it('copies values in place, keeping the parameter objects', () => {
    const a = new Net();
    const b = new Net();
    const w = b.layers.get(0).selfAttn.weight;
    b.loadStateDict(a.stateDict());
    expect(b.layers.get(0).selfAttn.weight).toBe(w);
    for (const [k, v] of Object.entries(a.stateDict())) expect(b.stateDict()[k]!.toArray()).toEqual(v.toArray());
  });

  it('strict mode names missing and unexpected keys and changes nothing', () => {
    const m = new Linear(2, 2);
    const before = m.weight.toArray();
    expect(() => m.loadStateDict({ weight: zeros([2, 2]), extra: zeros([1]) })).toThrow(
      'Linear.loadStateDict: missing keys: bias; unexpected keys: extra',
    );
    expect(m.weight.toArray()).toEqual(before);
  });

  it('non-strict mode reports missing and unexpected keys and loads the rest', () => {
    const m = new Linear(2, 2);
    const result = m.loadStateDict({ weight: zeros([2, 2]), extra: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
    expect(m.weight.toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('reports a shape mismatch by name even when not strict', () => {
    const m = new Linear(2, 3);
    expect(() => m.loadStateDict({ weight: zeros([2, 2]) }, { strict: false })).toThrow(
      'Linear.loadStateDict: size mismatch for weight: expected [3,2], got [2,2]',
    );
  });

  it('does not leak tensors when loading repeatedly', () => {
    const m = new Linear(4, 4);
    const sd = { weight: randn([4, 4]), bias: randn([4]) };
    m.loadStateDict(sd);
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++) m.loadStateDict(sd);
    expect(memory().numTensors).toBe(before);
    expect(tensor(m.weight.dataSync(), { shape: [4, 4] }).toArray()).toEqual(sd.weight.toArray());
  });
});
