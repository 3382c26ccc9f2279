// LoRA: LoRALinear's maths against hand computation, merging, frozen bases (finite differences),
// PEFT's file format both ways, and a PyTorch re-implementation of PEFT's forward
// (fixtures/lora/make_lora_fixture.py, /usr/bin/python3 with torch 1.13).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, noGrad, randn, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import {
  ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME, Linear, LoRALinear, Module, ModuleList, adapterFiles, injectLoRA, load,
  loadAdapterFiles, loraLayers, loraStateDict, mergeLoRA, parseHeader, trainableParameters, unloadLoRA, unmergeLoRA,
} from '../src/index.js';
import { loadAdapter, saveAdapter } from '../src/io/node.js';

/** GPT-2's module paths in miniature: transformer.h.<i>.attn.{c_attn,c_proj}, transformer.h.<i>.mlp.c_fc, lm_head. */
class Attn extends Module {
  cAttn = new Linear(4, 6);
  cProj = new Linear(2, 4);
  override forward(x: Tensor): Tensor {
    return this.cProj.forward(this.cAttn.forward(x).split(2, -1)[0]!.tanh());
  }
}
class Mlp extends Module {
  cFc = new Linear(4, 4);
}
class Block extends Module {
  attn = new Attn();
  mlp = new Mlp();
}
class Body extends Module {
  h = new ModuleList([new Block(), new Block()]);
}
class TinyLM extends Module {
  transformer = new Body();
  lmHead = new Linear(4, 3, { bias: false });
  override forward(x: Tensor): Tensor {
    let h = x;
    for (const block of this.transformer.h) h = h.add(block.attn.forward(h));
    return this.lmHead.forward(h);
  }
}

const values = (t: Tensor) => Array.from(t.dataSync());

/** A LoRALinear with hand-chosen weights: W [2, 3], b [2], A [2, 3], B [2, 2], alpha 3 → scaling 1.5. */
function handLayer(): LoRALinear {
  const base = new Linear(3, 2);
  noGrad(() => {
    base.weight.assign(tensor([[1, 0, -1], [2, 1, 0]]));
    base.bias!.assign(tensor([0.5, -1]));
  });
  const layer = new LoRALinear(base, { r: 2, alpha: 3 });
  noGrad(() => {
    layer.lora_A.weight.assign(tensor([[1, 2, 0], [0, -1, 1]]));
    layer.lora_B.weight.assign(tensor([[1, 0], [2, -1]]));
  });
  return layer;
}

describe('LoRALinear', () => {
  it('computes x·Wᵀ + b + x·Aᵀ·Bᵀ·(alpha/r), checked by hand', () => {
    const layer = handLayer();
    const y = layer.forward(tensor([[1, 2, 3]]));
    // base: [1 − 3 + 0.5, 2 + 2 − 1] = [−1.5, 3]; A·x = [1 + 4, −2 + 3] = [5, 1];
    // B·(A·x) = [5, 10 − 1] = [5, 9]; ×1.5 = [7.5, 13.5]; sum = [6, 16.5].
    expect(values(y)).toEqual([6, 16.5]);
    expect(layer.scaling).toBe(1.5);
  });

  it('starts equal to its base (lora_B is zero) with lora_A drawn from U(±1/√in), as PEFT', () => {
    manualSeed(3);
    const base = new Linear(64, 5);
    const layer = new LoRALinear(base, { r: 4, alpha: 8 });
    const x = randn([2, 64]);
    expect(values(layer.forward(x))).toEqual(values(base.forward(x)));
    const a = values(layer.lora_A.weight);
    expect(layer.lora_A.weight.shape).toEqual([4, 64]);
    expect(layer.lora_B.weight.shape).toEqual([5, 4]);
    expect(values(layer.lora_B.weight).every((v) => v === 0)).toBe(true);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1 / 8);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.1); // spread over the interval, not tiny
  });

  it('shares the base tensors and names its state PEFT-style: weight, bias, lora_A.weight, lora_B.weight', () => {
    const base = new Linear(3, 2);
    const layer = new LoRALinear(base, { r: 1 });
    expect(layer.weight).toBe(base.weight);
    expect(Object.keys(layer.stateDict())).toEqual(['weight', 'bias', 'lora_A.weight', 'lora_B.weight']);
    expect(layer.inFeatures).toBe(3);
    expect(layer.outFeatures).toBe(2);
    expect(layer.base).toBe(base);
  });

  it('scales by alpha/√r with useRslora', () => {
    expect(new LoRALinear(new Linear(3, 2), { r: 4, alpha: 8, useRslora: true }).scaling).toBe(4);
  });

  it('applies dropout to the adapter input only, and not in eval mode', () => {
    const layer = handLayer();
    const dropped = new LoRALinear(new Linear(3, 2), { r: 2, alpha: 3, dropout: 1 });
    noGrad(() => {
      dropped.weight.assign(layer.weight);
      dropped.bias!.assign(layer.bias!);
      dropped.lora_A.weight.assign(layer.lora_A.weight);
      dropped.lora_B.weight.assign(layer.lora_B.weight);
    });
    const x = tensor([[1, 2, 3]]);
    expect(values(dropped.forward(x))).toEqual([-1.5, 3]); // p = 1 drops the whole adapter path
    expect(values(dropped.eval().forward(x))).toEqual([6, 16.5]);
  });

  it('rejects a bad rank or a base that is not a Linear, naming LoRALinear', () => {
    expect(() => new LoRALinear(new Linear(3, 2), { r: 0 })).toThrow(/LoRALinear: r must be a positive integer, got 0/);
    expect(() => new LoRALinear(new Module() as Linear)).toThrow(/LoRALinear: base must be a Linear, got Module/);
    expect(() => new LoRALinear(handLayer())).toThrow(/already a LoRALinear/);
  });
});

describe('merging', () => {
  it('merged weights W + B·A·scaling give the adapter path outputs, and unmerge restores W', () => {
    manualSeed(1);
    const model = new TinyLM();
    injectLoRA(model, { r: 2, alpha: 4, targetModules: ['c_attn', 'c_proj'] });
    for (const [, layer] of loraLayers(model)) noGrad(() => layer.lora_B.weight.assign(randn(layer.lora_B.weight.shape)));
    const before = values(model.transformer.h.get(0).attn.cAttn.weight);
    const x = randn([2, 5, 4]);
    const adapterPath = model.forward(x);
    mergeLoRA(model);
    const layer = model.transformer.h.get(0).attn.cAttn as LoRALinear;
    expect(layer.merged).toBe(true);
    // the merged weight, by hand from the tensors: W + (B·A)·scaling
    const [A, B] = [values(layer.lora_A.weight), values(layer.lora_B.weight)]; // [2, 4], [6, 2]
    const expected = before.map((w, k) => {
      const [o, i] = [Math.floor(k / 4), k % 4];
      return w + (B[o * 2]! * A[i]! + B[o * 2 + 1]! * A[4 + i]!) * 2;
    });
    expectClose(layer.weight, tensor(expected, { shape: [6, 4] }), { atol: 1e-6 }, 'merged weight');
    expectClose(model.forward(x), adapterPath, { atol: 1e-5 }, 'merged forward');
    unmergeLoRA(model);
    expectClose(layer.weight, tensor(before, { shape: [6, 4] }), { atol: 1e-6 }, 'unmerged weight');
    expectClose(model.forward(x), adapterPath, { atol: 1e-5 }, 'unmerged forward');
  });

  it('unloadLoRA puts the original Linear objects back with merged weights and the original state-dict keys', () => {
    manualSeed(2);
    const model = new TinyLM();
    const keys = Object.keys(model.stateDict());
    const original = model.transformer.h.get(1).attn.cAttn;
    injectLoRA(model, { r: 2, alpha: 2, targetModules: /c_attn/ });
    for (const [, layer] of loraLayers(model)) noGrad(() => layer.lora_B.weight.assign(randn(layer.lora_B.weight.shape)));
    const x = randn([1, 3, 4]);
    const adapterPath = model.forward(x);
    unloadLoRA(model);
    expect(model.transformer.h.get(1).attn.cAttn).toBe(original);
    expect(loraLayers(model)).toHaveLength(0);
    expect(Object.keys(model.stateDict())).toEqual(keys);
    expectClose(model.forward(x), adapterPath, { atol: 1e-5 }, 'unloaded forward');
  });
});

describe('injectLoRA', () => {
  it('adapts the Linear layers a RegExp, a full-match string or a name list selects, in model order', () => {
    expect(injectLoRA(new TinyLM(), { targetModules: /c_attn|c_fc/ })).toEqual([
      'transformer.h.0.attn.c_attn', 'transformer.h.0.mlp.c_fc', 'transformer.h.1.attn.c_attn', 'transformer.h.1.mlp.c_fc',
    ]);
    expect(injectLoRA(new TinyLM(), { targetModules: 'transformer\\.h\\.1\\.attn\\.c_.*' })).toEqual(['transformer.h.1.attn.c_attn', 'transformer.h.1.attn.c_proj']);
  });

  it('follows PEFT: a string must match the whole name, a list entry the last parts', () => {
    expect(() => injectLoRA(new TinyLM(), { targetModules: 'c_attn' })).toThrow(/match no Linear layer.*transformer\.h\.0\.attn\.c_attn/);
    expect(injectLoRA(new TinyLM(), { targetModules: ['attn.c_proj', 'lm_head'] })).toEqual(['transformer.h.0.attn.c_proj', 'transformer.h.1.attn.c_proj', 'lm_head']);
  });

  it('freezes every base parameter, so only lora_A/lora_B train', () => {
    const model = new TinyLM();
    injectLoRA(model, { r: 2, targetModules: ['c_attn'] });
    const trainable = model.namedParameters().filter(([, p]) => p.requiresGrad).map(([n]) => n);
    expect(trainable).toEqual([
      'transformer.h.0.attn.c_attn.lora_A.weight', 'transformer.h.0.attn.c_attn.lora_B.weight',
      'transformer.h.1.attn.c_attn.lora_A.weight', 'transformer.h.1.attn.c_attn.lora_B.weight',
    ]);
    expect(trainableParameters(model)).toHaveLength(4);
    expect(model.numParameters({ trainableOnly: true })).toBe(2 * (2 * 4 + 6 * 2));
  });

  it('refuses a second injection and bad targetModules with clear errors', () => {
    const model = new TinyLM();
    injectLoRA(model, { targetModules: ['c_attn'] });
    expect(() => injectLoRA(model, { targetModules: ['c_proj'] })).toThrow(/injectLoRA: the model already has LoRA adapters/);
    expect(() => injectLoRA(new TinyLM(), { targetModules: [] })).toThrow(/injectLoRA: targetModules must be a RegExp, a string or a non-empty array/);
    expect(() => injectLoRA(new TinyLM(), { targetModules: '(' })).toThrow(/injectLoRA: targetModules '\(' is not a valid regular expression/);
  });

  it('adapts a Linear held directly in a ModuleList slot', () => {
    class Stack extends Module {
      layers = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
    }
    const m = new Stack();
    expect(injectLoRA(m, { targetModules: /^layers\.1$/ })).toEqual(['layers.1']);
    expect(m.layers.get(1)).toBeInstanceOf(LoRALinear);
    expect(m.layers.get(0)).not.toBeInstanceOf(LoRALinear);
  });
});

describe('gradients', () => {
  it('reach lora_A and lora_B as finite differences say, and leave every base grad null', () => {
    manualSeed(4);
    const model = new TinyLM();
    injectLoRA(model, { r: 2, alpha: 4, targetModules: ['c_attn'] });
    const layer = model.transformer.h.get(0).attn.cAttn as LoRALinear;
    noGrad(() => layer.lora_B.weight.assign(randn(layer.lora_B.weight.shape).mul(0.5)));
    const x = randn([2, 3, 4]);
    const [A0, B0] = [layer.lora_A.weight, layer.lora_B.weight];
    const run = (A: Tensor, B: Tensor) => {
      layer.lora_A.weight = A;
      layer.lora_B.weight = B;
      try {
        return model.forward(x);
      } finally {
        layer.lora_A.weight = A0;
        layer.lora_B.weight = B0;
      }
    };
    expect(gradCheck(run, [A0, B0])).toBeLessThan(2e-3);

    const loss = model.forward(x).square().sum();
    loss.backward();
    const withGrad = model.namedParameters().filter(([, p]) => p.grad !== null).map(([n]) => n);
    expect(withGrad).toEqual([
      'transformer.h.0.attn.c_attn.lora_A.weight', 'transformer.h.0.attn.c_attn.lora_B.weight',
      'transformer.h.1.attn.c_attn.lora_A.weight', 'transformer.h.1.attn.c_attn.lora_B.weight',
    ]);
  });

  it('trains in a tidy loop without leaking tensors', () => {
    manualSeed(5);
    const model = new TinyLM();
    injectLoRA(model, { r: 2, targetModules: ['c_attn'] });
    const x = randn([2, 3, 4]);
    const step = () => tidy(() => {
      model.zeroGrad();
      model.forward(x).square().mean().backward();
      for (const p of trainableParameters(model)) noGrad(() => p.assign(p.sub(p.grad!.mul(0.1))));
    });
    step();
    const live = memory().numTensors;
    step();
    step();
    expect(memory().numTensors).toBe(live);
  });
});

describe('PEFT files', () => {
  const gpt2Map = (name: string) => (name.startsWith('transformer.') ? name : undefined); // lm_head has no adapter counterpart needed

  it('saves base_model.model.<path>.lora_A.weight / lora_B.weight with format pt and PEFT config fields', () => {
    manualSeed(6);
    const model = new TinyLM();
    injectLoRA(model, { r: 2, alpha: 16, dropout: 0.05, fanInFanOut: true, targetModules: ['c_attn'] });
    const { weights, config } = adapterFiles(model, { taskType: 'CAUSAL_LM', baseModelNameOrPath: 'gpt2' });
    const header = parseHeader(weights);
    expect(header.metadata).toEqual({ format: 'pt' });
    expect(header.tensors.map((t) => [t.name, t.dtype, t.shape]).sort()).toEqual([
      ['base_model.model.transformer.h.0.attn.c_attn.lora_A.weight', 'F32', [2, 4]],
      ['base_model.model.transformer.h.0.attn.c_attn.lora_B.weight', 'F32', [6, 2]],
      ['base_model.model.transformer.h.1.attn.c_attn.lora_A.weight', 'F32', [2, 4]],
      ['base_model.model.transformer.h.1.attn.c_attn.lora_B.weight', 'F32', [6, 2]],
    ]);
    expect(config).toMatchObject({
      peft_type: 'LORA', task_type: 'CAUSAL_LM', base_model_name_or_path: 'gpt2', r: 2, lora_alpha: 16, lora_dropout: 0.05,
      target_modules: ['c_attn'], fan_in_fan_out: true, bias: 'none', inference_mode: true, use_rslora: false, use_dora: false,
    });
  });

  it('writes target_modules as a full-match pattern when the last name parts would select more layers', () => {
    const model = new TinyLM();
    injectLoRA(model, { targetModules: /h\.0\.attn\.c_attn/ });
    const { config } = adapterFiles(model);
    expect(config.target_modules).toBe('transformer\\.h\\.0\\.attn\\.c_attn');
    expect(new RegExp(`^(?:${config.target_modules as string})$`).test('transformer.h.1.attn.c_attn')).toBe(false);
  });

  it('round-trips through a folder: save → load into a fresh model gives identical tensors and outputs', async () => {
    manualSeed(7);
    const model = new TinyLM();
    injectLoRA(model, { r: 2, alpha: 4, targetModules: ['c_attn', 'c_fc'] });
    for (const [, layer] of loraLayers(model)) noGrad(() => layer.lora_B.weight.assign(randn(layer.lora_B.weight.shape)));
    const dir = mkdtempSync(join(tmpdir(), 'qkv-lora-'));
    await saveAdapter(model, dir, { nameMap: gpt2Map, taskType: 'CAUSAL_LM' });
    const config = JSON.parse(readFileSync(join(dir, ADAPTER_CONFIG_NAME), 'utf8')) as Record<string, unknown>;
    expect(config.target_modules).toEqual(['c_attn', 'c_fc']);

    const fresh = new TinyLM();
    fresh.loadStateDict(Object.fromEntries(Object.entries(model.stateDict()).filter(([k]) => !k.includes('lora_'))), { strict: false });
    const adapted = await loadAdapter(fresh, dir, { nameMap: gpt2Map });
    expect(adapted).toEqual(loraLayers(model).map(([n]) => n));
    const a = loraStateDict(model);
    const b = loraStateDict(fresh);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(values(b[k]!)).toEqual(values(a[k]!));
    const layer = loraLayers(fresh)[0]![1];
    expect([layer.r, layer.alpha, layer.scaling]).toEqual([2, 4, 2]);
    const x = randn([1, 2, 4]);
    expect(values(fresh.forward(x))).toEqual(values(model.forward(x)));
  });

  it('maps qkv names to Hugging Face names through nameMap on save and load', () => {
    const model = new TinyLM();
    injectLoRA(model, { targetModules: ['c_attn'] });
    const toHf = (n: string) => n.replace(/^transformer\.h\./, 'gpt.layers.');
    const { weights, config } = adapterFiles(model, { nameMap: toHf });
    expect(Object.keys(load(weights).tensors).sort()[0]).toBe('base_model.model.gpt.layers.0.attn.c_attn.lora_A.weight');
    expect(loadAdapterFiles(new TinyLM(), weights, config, { nameMap: toHf })).toEqual(['transformer.h.0.attn.c_attn', 'transformer.h.1.attn.c_attn']);
    expect(() => loadAdapterFiles(new TinyLM(), weights, config)).toThrow(/loadAdapterFiles: 'base_model\.model\.gpt\.layers\.0\.attn\.c_attn\.lora_A\.weight' names no Linear layer/);
  });

  it('modulesToSave (PEFT SEQ_CLS): the head stays trainable, is saved whole as base_model.model.<name>.weight and loads back', () => {
    manualSeed(9);
    const model = new TinyLM();
    injectLoRA(model, { r: 2, targetModules: ['c_attn'], modulesToSave: ['lm_head', 'score'] });
    expect(model.lmHead.weight.requiresGrad).toBe(true);
    expect(model.transformer.h.get(0).mlp.cFc.weight.requiresGrad).toBe(false);
    expect(trainableParameters(model)).toContain(model.lmHead.weight);
    noGrad(() => model.lmHead.weight.assign(randn([3, 4])));
    const { weights, config } = adapterFiles(model, { modulesToSave: ['lm_head', 'score'] });
    expect(config.modules_to_save).toEqual(['lm_head', 'score']);
    const stored = load(weights).tensors;
    expect(Object.keys(stored).filter((k) => !k.includes('lora_'))).toEqual(['base_model.model.lm_head.weight']);
    expect(values(stored['base_model.model.lm_head.weight']!)).toEqual(values(model.lmHead.weight));
    const fresh = new TinyLM();
    fresh.loadStateDict(Object.fromEntries(Object.entries(model.stateDict()).filter(([k]) => !k.includes('lora_') && k !== 'lm_head.weight')), { strict: false });
    loadAdapterFiles(fresh, weights, config);
    expect(values(fresh.lmHead.weight)).toEqual(values(model.lmHead.weight));
    const x = randn([1, 2, 4]);
    expect(values(fresh.forward(x))).toEqual(values(model.forward(x)));
    expect(() => injectLoRA(new TinyLM(), { targetModules: ['c_attn'], modulesToSave: ['classifier'] })).toThrow(/injectLoRA: modulesToSave classifier match no module/);
    expect(() => loadAdapterFiles(new TinyLM(), weights, { ...config, modules_to_save: 'lm_head' })).toThrow(/'modules_to_save' must be null or an array/);
  });

  it('rejects configs and weights PEFT would not have written for this model, saying what was expected', () => {
    const model = new TinyLM();
    injectLoRA(model, { r: 2, targetModules: ['c_attn'] });
    const { weights, config } = adapterFiles(model);
    expect(() => loadAdapterFiles(new TinyLM(), weights, { ...config, peft_type: 'IA3' })).toThrow(/field 'peft_type' must be 'LORA', got "IA3"/);
    expect(() => loadAdapterFiles(new TinyLM(), weights, { ...config, r: 4 })).toThrow(/lora_A\.weight' must be \[r, in\] = \[4,4\], got \[2,4\]/);
    expect(() => loadAdapterFiles(new TinyLM(), weights, { ...config, use_dora: true })).toThrow(/'use_dora' must be false/);
    expect(() => loadAdapterFiles(new TinyLM(), weights, { ...config, bias: 'all' })).toThrow(/'bias' must be 'none'/);
    expect(() => loadAdapterFiles(new TinyLM(), weights, null)).toThrow(/adapter config must be a JSON object/);
  });
});

describe('PyTorch reference (PEFT LoRA re-implemented in torch 1.13, GPT-2 Conv1D, fan_in_fan_out)', () => {
  interface Arr { shape: number[]; data: number[] }
  const dir = new URL('../fixtures/lora/', import.meta.url);
  const fx = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, Arr> & { module: string };
  const t = (a: Arr) => tensor(a.data, { shape: a.shape });

  it('loads the PEFT-layout adapter and matches the forward, the merged Conv1D weight and the adapter gradients', () => {
    const model = new TinyLM();
    noGrad(() => {
      const cAttn = model.transformer.h.get(0).attn.cAttn;
      cAttn.weight.assign(t(fx.conv_weight!).transpose(0, 1)); // Conv1D [in, out] → Linear [out, in]
      cAttn.bias!.assign(t(fx.conv_bias!));
    });
    const weights = new Uint8Array(readFileSync(new URL(`adapter/${ADAPTER_WEIGHTS_NAME}`, dir)));
    const config = JSON.parse(readFileSync(new URL(`adapter/${ADAPTER_CONFIG_NAME}`, dir), 'utf8')) as unknown;
    expect(loadAdapterFiles(model, weights, config)).toEqual([fx.module]);
    const layer = model.transformer.h.get(0).attn.cAttn as LoRALinear;
    expect(layer.fanInFanOut).toBe(true);
    const y = layer.forward(t(fx.x!));
    expectClose(y, t(fx.y!), { atol: 1e-5 }, 'forward');
    y.mul(t(fx.grad_output!)).sum().backward();
    expectClose(layer.lora_A.weight.grad!, t(fx.grad_lora_A!), { atol: 1e-4 }, 'grad lora_A');
    expectClose(layer.lora_B.weight.grad!, t(fx.grad_lora_B!), { atol: 1e-4 }, 'grad lora_B');
    expect(layer.weight.grad).toBeNull();
    layer.merge();
    expectClose(layer.weight.transpose(0, 1), t(fx.merged_conv_weight!), { atol: 1e-5 }, 'merged Conv1D weight');
    expectClose(layer.forward(t(fx.x!)), t(fx.y_merged!), { atol: 1e-5 }, 'merged forward');
    expect(adapterFiles(model, { baseModelNameOrPath: 'gpt2', taskType: 'CAUSAL_LM' }).config).toMatchObject(
      Object.fromEntries(Object.entries(config as Record<string, unknown>).filter(([k]) => !['auto_mapping', 'loftq_config', 'megatron_config', 'megatron_core', 'target_modules'].includes(k))),
    );
  });
});
