"""Tiny Hugging Face Hub folders (GPT-2, BERT, ViT) with the outputs Hugging Face `transformers` gives
on them, for @qkv/pretrained.

Neither the Hub nor the `transformers` Python package is reachable where this was written, so the
forwards below are TRANSCRIPTIONS of Hugging Face's PyTorch code (modeling_gpt2.py GPT2LMHeadModel,
modeling_bert.py BertModel / BertForMaskedLM / BertForSequenceClassification, modeling_vit.py
ViTModel / ViTForImageClassification, eval mode): the same parameter names and shapes (GPT-2's
Conv1D weights stored [in, out], BERT's and ViT's separate query/key/value, ViT's patch
convolution), the same maths (`gelu_new` = tanh GELU for GPT-2, exact GELU for BERT/ViT, the
additive `(1 - mask) * finfo(float32).min` attention mask, LayerNorm epsilons from the config). The
config.json files use Hugging Face's field names and defaults; the safetensors files are written by
hand (8-byte little-endian header length, JSON header, raw little-endian bytes).

Each folder is made in the layout the Hub serves:
  gpt2/          GPT2LMHeadModel, F32, keys without the `transformer.` prefix and with the legacy
                 `h.N.attn.bias` causal-mask buffers (as the real `gpt2` checkpoint), vocab.json + merges.txt
  bert-mlm/      BertForMaskedLM, BF16, sharded (model.safetensors.index.json), vocab.txt
  bert-cls/      BertForSequenceClassification (id2label), F32, vocab.txt
  bert-base/     BertModel (pooler), F32, keys without the `bert.` prefix
  vit-cls/       ViTForImageClassification, F16, preprocessor_config.json
  vit-base/      ViTModel (pooler), F32, preprocessor_config.json
and `expected.json` in each: inputs, logits / hidden states / pooled output, and every layer's
attention probabilities [B, H, T, T], computed in float64 from the weights as stored (F16/BF16
weights are rounded first, as loading upcasts them).

Run with Debian's PyTorch, from the repository root:
    /usr/bin/python3 tooling/reference-fixtures/pretrained/make_pretrained.py
It writes packages/pretrained/fixtures/<name>/.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
OUT = os.path.join(ROOT, 'packages', 'pretrained', 'fixtures')
GENERATOR = f'PyTorch {torch.__version__}, CPU, float64, transcribed Hugging Face forwards (tooling/reference-fixtures/pretrained/make_pretrained.py)'
gen = torch.Generator().manual_seed(20261206)
FMIN = torch.finfo(torch.float32).min


# ------------------------------------------------------------------ files

def write_safetensors(path, tensors, dtype):
    """tensors: list of (name, float64 tensor). dtype: 'F32' | 'F16' | 'BF16'."""
    header = {'__metadata__': {'format': 'pt'}}
    blobs = []
    offset = 0
    for name, t in tensors:
        t32 = t.to(torch.float32).contiguous()
        if dtype == 'F32':
            b = t32.numpy().astype('<f4').tobytes()
        elif dtype == 'F16':
            b = t32.numpy().astype('<f2').tobytes()
        elif dtype == 'BF16':
            b = t32.to(torch.bfloat16).view(torch.int16).numpy().astype('<i2').tobytes()
        else:
            raise ValueError(dtype)
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    return offset


def stored(t, dtype):
    """The float64 value a loader sees after upcasting `dtype` to float32."""
    t32 = t.to(torch.float32)
    if dtype == 'F16':
        t32 = t32.to(torch.float16).to(torch.float32)
    elif dtype == 'BF16':
        t32 = t32.to(torch.bfloat16).to(torch.float32)
    return t32.to(torch.float64)


def write_folder(name, config, weights, dtype, expected, extra_files, shards=1):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    with open(os.path.join(d, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
        f.write('\n')
    if shards == 1:
        write_safetensors(os.path.join(d, 'model.safetensors'), weights, dtype)
    else:
        per = math.ceil(len(weights) / shards)
        weight_map = {}
        total = 0
        for s in range(shards):
            fname = f'model-{s + 1:05d}-of-{shards:05d}.safetensors'
            part = weights[s * per:(s + 1) * per]
            total += write_safetensors(os.path.join(d, fname), part, dtype)
            for n, _ in part:
                weight_map[n] = fname
        with open(os.path.join(d, 'model.safetensors.index.json'), 'w') as f:
            json.dump({'metadata': {'total_size': total}, 'weight_map': weight_map}, f, indent=2)
            f.write('\n')
    for fname, text in extra_files.items():
        with open(os.path.join(d, fname), 'w', encoding='utf-8') as f:
            f.write(text)
    expected['generator'] = GENERATOR
    with open(os.path.join(d, 'expected.json'), 'w') as f:
        json.dump(expected, f, separators=(',', ':'))
        f.write('\n')


def arr(t):
    t = t.detach().to(torch.float64)
    return {'shape': list(t.shape), 'data': [float(f'{v:.9g}') for v in t.reshape(-1).tolist()]}


def rnd(*shape, scale=0.2):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64) * scale


def ln_params(n):
    return 1 + rnd(n, scale=0.1), rnd(n, scale=0.1)


def layer_norm(x, w, b, eps):
    return F.layer_norm(x, (x.shape[-1],), w, b, eps)


def gelu_new(x):  # transformers.activations.NewGELUActivation
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


# ------------------------------------------------------------------ tokenizer files

def bytes_to_unicode():  # GPT-2's byte ↔ printable-character table
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def gpt2_tokenizer_files(n_merges=40):
    """A byte-level BPE learned from a tiny corpus: 256 byte tokens, n_merges merges, <|endoftext|>."""
    b2u = bytes_to_unicode()
    corpus = ('The attention mechanism lets the model look at the other tokens. The transformer stacks attention '
              'and feed-forward layers; the attention weights are the pictures.')
    words = []
    for i, w in enumerate(corpus.split(' ')):
        w = (' ' if i > 0 else '') + w
        words.append([b2u[b] for b in w.encode('utf-8')])
    vocab = {}
    for b in range(256):
        vocab[b2u[b]] = len(vocab)
    merges = []
    for _ in range(n_merges):
        counts = {}
        for w in words:
            for a, b in zip(w, w[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + 1
        if not counts:
            break
        best = max(counts, key=lambda p: (counts[p], p))
        merges.append(best)
        vocab[best[0] + best[1]] = len(vocab)
        new_words = []
        for w in words:
            out = []
            i = 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words.append(out)
        words = new_words
    vocab['<|endoftext|>'] = len(vocab)
    vocab_json = json.dumps(vocab, ensure_ascii=False)
    merges_txt = '#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges)
    return vocab_json, merges_txt, len(vocab)


BERT_WORDS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'a', 'cat', 'sat', 'on', 'mat', 'dog', 'attention',
              'is', 'all', 'you', 'need', 'model', 'token', 'look', 'at', '.', ',', '!', '?', 'un', '##aff', '##able',
              'play', '##ing', '##ed', '##s', 'head', 'layer', 'word', 'piece']
BERT_VOCAB = BERT_WORDS + [chr(c) for c in range(ord('a'), ord('z') + 1) if chr(c) not in BERT_WORDS] + ['##' + chr(c) for c in range(ord('a'), ord('z') + 1) if '##' + chr(c) not in BERT_WORDS]


def bert_ids(words):
    return [BERT_VOCAB.index(w) for w in words]


# ------------------------------------------------------------------ GPT-2

def make_gpt2():
    vocab_json, merges_txt, V = gpt2_tokenizer_files()
    E, H, L, NPOS = 32, 4, 2, 64
    D = E // H
    w = {'wte.weight': rnd(V, E), 'wpe.weight': rnd(NPOS, E, scale=0.1)}
    for i in range(L):
        p = f'h.{i}.'
        w[p + 'ln_1.weight'], w[p + 'ln_1.bias'] = ln_params(E)
        w[p + 'attn.c_attn.weight'] = rnd(E, 3 * E)  # Conv1D: [in, out]
        w[p + 'attn.c_attn.bias'] = rnd(3 * E, scale=0.05)
        w[p + 'attn.c_proj.weight'] = rnd(E, E)
        w[p + 'attn.c_proj.bias'] = rnd(E, scale=0.05)
        w[p + 'ln_2.weight'], w[p + 'ln_2.bias'] = ln_params(E)
        w[p + 'mlp.c_fc.weight'] = rnd(E, 4 * E)
        w[p + 'mlp.c_fc.bias'] = rnd(4 * E, scale=0.05)
        w[p + 'mlp.c_proj.weight'] = rnd(4 * E, E)
        w[p + 'mlp.c_proj.bias'] = rnd(E, scale=0.05)
    w['ln_f.weight'], w['ln_f.bias'] = ln_params(E)
    w = {k: stored(v, 'F32') for k, v in w.items()}
    eps = 1e-5
    config = {
        'activation_function': 'gelu_new', 'architectures': ['GPT2LMHeadModel'], 'attn_pdrop': 0.1,
        'bos_token_id': V - 1, 'embd_pdrop': 0.1, 'eos_token_id': V - 1, 'initializer_range': 0.02,
        'layer_norm_epsilon': eps, 'model_type': 'gpt2', 'n_ctx': NPOS, 'n_embd': E, 'n_head': H, 'n_inner': None,
        'n_layer': L, 'n_positions': NPOS, 'reorder_and_upcast_attn': False, 'resid_pdrop': 0.1,
        'scale_attn_by_inverse_layer_idx': False, 'scale_attn_weights': True, 'summary_activation': None,
        'summary_first_dropout': 0.1, 'summary_proj_to_labels': True, 'summary_type': 'cls_index',
        'summary_use_proj': True, 'torch_dtype': 'float32', 'use_cache': True, 'vocab_size': V,
    }
    ids = torch.tensor([[5, 84, 101, 32, 97, 116, 116, 256, 260, 12, 270, 99], [200, 3, 260, 261, 262, 40, 41, 42, 43, V - 1, 0, 255]])
    B, T = ids.shape
    # GPT2LMHeadModel.forward
    h = w['wte.weight'][ids] + w['wpe.weight'][torch.arange(T)]
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    attentions = []
    for i in range(L):
        p = f'h.{i}.'
        a = layer_norm(h, w[p + 'ln_1.weight'], w[p + 'ln_1.bias'], eps)
        qkv = a @ w[p + 'attn.c_attn.weight'] + w[p + 'attn.c_attn.bias']  # Conv1D: x W + b
        q, k, v = (t.view(B, T, H, D).transpose(1, 2) for t in qkv.split(E, dim=2))
        s = q @ k.transpose(-1, -2) / math.sqrt(D)
        s = torch.where(causal, s, torch.tensor(FMIN, dtype=s.dtype))
        probs = s.softmax(-1)
        attentions.append(probs)
        o = (probs @ v).transpose(1, 2).reshape(B, T, E)
        h = h + o @ w[p + 'attn.c_proj.weight'] + w[p + 'attn.c_proj.bias']
        m = layer_norm(h, w[p + 'ln_2.weight'], w[p + 'ln_2.bias'], eps)
        m = gelu_new(m @ w[p + 'mlp.c_fc.weight'] + w[p + 'mlp.c_fc.bias'])
        h = h + m @ w[p + 'mlp.c_proj.weight'] + w[p + 'mlp.c_proj.bias']
    h = layer_norm(h, w['ln_f.weight'], w['ln_f.bias'], eps)
    logits = h @ w['wte.weight'].T  # lm_head tied to wte
    weights = []
    for name, t in w.items():
        weights.append((name, t))
        if name.endswith('ln_1.bias'):  # the legacy causal-mask buffer the real gpt2 checkpoint carries
            weights.append((name.replace('ln_1.bias', 'attn.bias'), torch.tril(torch.ones(NPOS, NPOS, dtype=torch.float64)).view(1, 1, NPOS, NPOS)))
    expected = {'input_ids': ids.tolist(), 'logits': arr(logits), 'last_hidden_state': arr(h), 'attentions': [arr(a) for a in attentions]}
    write_folder('gpt2', config, weights, 'F32', expected, {'vocab.json': vocab_json, 'merges.txt': merges_txt})


# ------------------------------------------------------------------ BERT

def bert_weights(E, L, I, V, NPOS, NTYPES, prefix):
    w = {}
    e = prefix + 'embeddings.'
    w[e + 'word_embeddings.weight'] = rnd(V, E)
    w[e + 'position_embeddings.weight'] = rnd(NPOS, E, scale=0.1)
    w[e + 'token_type_embeddings.weight'] = rnd(NTYPES, E, scale=0.1)
    w[e + 'LayerNorm.weight'], w[e + 'LayerNorm.bias'] = ln_params(E)
    for i in range(L):
        p = f'{prefix}encoder.layer.{i}.'
        for n in ('query', 'key', 'value'):
            w[p + f'attention.self.{n}.weight'] = rnd(E, E)
            w[p + f'attention.self.{n}.bias'] = rnd(E, scale=0.05)
        w[p + 'attention.output.dense.weight'] = rnd(E, E)
        w[p + 'attention.output.dense.bias'] = rnd(E, scale=0.05)
        w[p + 'attention.output.LayerNorm.weight'], w[p + 'attention.output.LayerNorm.bias'] = ln_params(E)
        w[p + 'intermediate.dense.weight'] = rnd(I, E)
        w[p + 'intermediate.dense.bias'] = rnd(I, scale=0.05)
        w[p + 'output.dense.weight'] = rnd(E, I)
        w[p + 'output.dense.bias'] = rnd(E, scale=0.05)
        w[p + 'output.LayerNorm.weight'], w[p + 'output.LayerNorm.bias'] = ln_params(E)
    return w


def bert_config(arch, E, H, L, I, V, NPOS, NTYPES, dtype, **extra):
    c = {
        'architectures': [arch], 'attention_probs_dropout_prob': 0.1, 'classifier_dropout': None,
        'hidden_act': 'gelu', 'hidden_dropout_prob': 0.1, 'hidden_size': E, 'initializer_range': 0.02,
        'intermediate_size': I, 'layer_norm_eps': 1e-12, 'max_position_embeddings': NPOS, 'model_type': 'bert',
        'num_attention_heads': H, 'num_hidden_layers': L, 'pad_token_id': 0, 'position_embedding_type': 'absolute',
        'torch_dtype': dtype, 'type_vocab_size': NTYPES, 'use_cache': True, 'vocab_size': V,
    }
    c.update(extra)
    return c


def bert_forward(w, prefix, ids, token_types, mask, H, L, eps):
    """BertModel.forward: (last_hidden_state, pooled or None, attentions)."""
    B, T = ids.shape
    e = prefix + 'embeddings.'
    x = w[e + 'word_embeddings.weight'][ids] + w[e + 'token_type_embeddings.weight'][token_types] + w[e + 'position_embeddings.weight'][torch.arange(T)]
    x = layer_norm(x, w[e + 'LayerNorm.weight'], w[e + 'LayerNorm.bias'], eps)
    E = x.shape[-1]
    D = E // H
    ext = (1.0 - mask[:, None, None, :].to(torch.float64)) * FMIN  # get_extended_attention_mask
    lin = lambda t, n: t @ w[n + '.weight'].T + w[n + '.bias']
    attentions = []
    for i in range(L):
        p = f'{prefix}encoder.layer.{i}.'
        q, k, v = (lin(x, p + f'attention.self.{n}').view(B, T, H, D).transpose(1, 2) for n in ('query', 'key', 'value'))
        s = q @ k.transpose(-1, -2) / math.sqrt(D) + ext
        probs = s.softmax(-1)
        attentions.append(probs)
        ctx = (probs @ v).transpose(1, 2).reshape(B, T, E)
        a = layer_norm(lin(ctx, p + 'attention.output.dense') + x, w[p + 'attention.output.LayerNorm.weight'], w[p + 'attention.output.LayerNorm.bias'], eps)
        inter = F.gelu(lin(a, p + 'intermediate.dense'))
        x = layer_norm(lin(inter, p + 'output.dense') + a, w[p + 'output.LayerNorm.weight'], w[p + 'output.LayerNorm.bias'], eps)
    pooled = torch.tanh(lin(x[:, 0], prefix + 'pooler.dense')) if (prefix + 'pooler.dense.weight') in w else None
    return x, pooled, attentions


def bert_inputs():
    ids = torch.tensor([bert_ids(['[CLS]', 'the', 'cat', 'sat', 'on', 'the', '[MASK]', '.', '[SEP]']),
                        bert_ids(['[CLS]', 'attention', 'is', 'all', '[MASK]', 'need', '[SEP]', '[PAD]', '[PAD]'])])
    token_types = torch.tensor([[0, 0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0]])
    mask = torch.tensor([[1] * 9, [1] * 7 + [0, 0]])
    return ids, token_types, mask


def bert_cases(w, prefix, H, L, eps, head):
    """Two cases: ids alone (token types 0, no padding) and with token types + a padding mask."""
    ids, token_types, mask = bert_inputs()
    out = {}
    for case, (tt, m) in {'plain': (torch.zeros_like(ids), torch.ones_like(ids)), 'masked': (token_types, mask)}.items():
        x, pooled, att = bert_forward(w, prefix, ids, tt, m, H, L, eps)
        res = {'token_type_ids': tt.tolist(), 'attention_mask': m.tolist(), 'last_hidden_state': arr(x), 'attentions': [arr(a) for a in att]}
        if pooled is not None:
            res['pooler_output'] = arr(pooled)
        logits = head(x, pooled)
        if logits is not None:
            res['logits'] = arr(logits)
        out[case] = res
    return {'input_ids': ids.tolist(), 'cases': out}


def make_bert_mlm():
    E, H, L, I, NPOS, NTYPES = 32, 4, 2, 64, 32, 2
    V = len(BERT_VOCAB)
    dtype = 'BF16'
    w = bert_weights(E, L, I, V, NPOS, NTYPES, 'bert.')
    w['cls.predictions.bias'] = rnd(V, scale=0.05)
    w['cls.predictions.transform.dense.weight'] = rnd(E, E)
    w['cls.predictions.transform.dense.bias'] = rnd(E, scale=0.05)
    w['cls.predictions.transform.LayerNorm.weight'], w['cls.predictions.transform.LayerNorm.bias'] = ln_params(E)
    w = {k: stored(v, dtype) for k, v in w.items()}
    eps = 1e-12

    def head(x, _pooled):  # BertOnlyMLMHead: transform (dense, gelu, LayerNorm), decoder tied to word embeddings
        t = F.gelu(x @ w['cls.predictions.transform.dense.weight'].T + w['cls.predictions.transform.dense.bias'])
        t = layer_norm(t, w['cls.predictions.transform.LayerNorm.weight'], w['cls.predictions.transform.LayerNorm.bias'], eps)
        return t @ w['bert.embeddings.word_embeddings.weight'].T + w['cls.predictions.bias']

    expected = bert_cases(w, 'bert.', H, L, eps, head)
    config = bert_config('BertForMaskedLM', E, H, L, I, V, NPOS, NTYPES, 'bfloat16')
    vocab_txt = ''.join(t + '\n' for t in BERT_VOCAB)
    write_folder('bert-mlm', config, list(w.items()), dtype, expected, {'vocab.txt': vocab_txt}, shards=2)


def make_bert_cls():
    E, H, L, I, NPOS, NTYPES = 32, 4, 2, 64, 32, 2
    V = len(BERT_VOCAB)
    w = bert_weights(E, L, I, V, NPOS, NTYPES, 'bert.')
    w['bert.pooler.dense.weight'] = rnd(E, E)
    w['bert.pooler.dense.bias'] = rnd(E, scale=0.05)
    w['classifier.weight'] = rnd(3, E)
    w['classifier.bias'] = rnd(3, scale=0.05)
    w = {k: stored(v, 'F32') for k, v in w.items()}
    eps = 1e-12
    expected = bert_cases(w, 'bert.', H, L, eps, lambda _x, pooled: pooled @ w['classifier.weight'].T + w['classifier.bias'])
    config = bert_config('BertForSequenceClassification', E, H, L, I, V, NPOS, NTYPES, 'float32',
                         id2label={'0': 'negative', '1': 'neutral', '2': 'positive'},
                         label2id={'negative': 0, 'neutral': 1, 'positive': 2})
    vocab_txt = ''.join(t + '\n' for t in BERT_VOCAB)
    write_folder('bert-cls', config, list(w.items()), 'F32', expected, {'vocab.txt': vocab_txt})


def make_bert_base():
    E, H, L, I, NPOS, NTYPES = 16, 2, 1, 32, 16, 2
    V = len(BERT_VOCAB)
    w = bert_weights(E, L, I, V, NPOS, NTYPES, '')
    w['pooler.dense.weight'] = rnd(E, E)
    w['pooler.dense.bias'] = rnd(E, scale=0.05)
    w = {k: stored(v, 'F32') for k, v in w.items()}
    eps = 1e-12
    expected = bert_cases(w, '', H, L, eps, lambda _x, _p: None)
    config = bert_config('BertModel', E, H, L, I, V, NPOS, NTYPES, 'float32')
    vocab_txt = ''.join(t + '\n' for t in BERT_VOCAB)
    write_folder('bert-base', config, list(w.items()), 'F32', expected, {'vocab.txt': vocab_txt})


# ------------------------------------------------------------------ ViT

def make_vit(name, arch, dtype, prefix, num_labels):
    E, H, L, I, S, P, C = 32, 4, 2, 64, 16, 4, 3
    N = (S // P) ** 2
    D = E // H
    eps = 1e-12
    w = {}
    e = prefix + 'embeddings.'
    w[e + 'cls_token'] = rnd(1, 1, E)
    w[e + 'position_embeddings'] = rnd(1, N + 1, E, scale=0.1)
    w[e + 'patch_embeddings.projection.weight'] = rnd(E, C, P, P)
    w[e + 'patch_embeddings.projection.bias'] = rnd(E, scale=0.05)
    for i in range(L):
        p = f'{prefix}encoder.layer.{i}.'
        for n in ('query', 'key', 'value'):
            w[p + f'attention.attention.{n}.weight'] = rnd(E, E)
            w[p + f'attention.attention.{n}.bias'] = rnd(E, scale=0.05)
        w[p + 'attention.output.dense.weight'] = rnd(E, E)
        w[p + 'attention.output.dense.bias'] = rnd(E, scale=0.05)
        w[p + 'intermediate.dense.weight'] = rnd(I, E)
        w[p + 'intermediate.dense.bias'] = rnd(I, scale=0.05)
        w[p + 'output.dense.weight'] = rnd(E, I)
        w[p + 'output.dense.bias'] = rnd(E, scale=0.05)
        w[p + 'layernorm_before.weight'], w[p + 'layernorm_before.bias'] = ln_params(E)
        w[p + 'layernorm_after.weight'], w[p + 'layernorm_after.bias'] = ln_params(E)
    w[prefix + 'layernorm.weight'], w[prefix + 'layernorm.bias'] = ln_params(E)
    if num_labels:
        w['classifier.weight'] = rnd(num_labels, E)
        w['classifier.bias'] = rnd(num_labels, scale=0.05)
    else:
        w['pooler.dense.weight'] = rnd(E, E)
        w['pooler.dense.bias'] = rnd(E, scale=0.05)
    w = {k: stored(v, dtype) for k, v in w.items()}
    lin = lambda t, n: t @ w[n + '.weight'].T + w[n + '.bias']
    # two images, uint8 HWC RGB, and ViTImageProcessor's rescale + normalize (no resize: already S×S)
    images = torch.randint(0, 256, (2, S, S, C), generator=gen)
    mean, std = [0.5, 0.4, 0.3], [0.25, 0.2, 0.3]
    pixels = (images.to(torch.float64) * (1 / 255) - torch.tensor(mean, dtype=torch.float64)) / torch.tensor(std, dtype=torch.float64)
    pixels = stored(pixels.permute(0, 3, 1, 2), 'F32')  # [B, C, H, W], float32 as the processor makes it
    B = pixels.shape[0]
    # ViTEmbeddings: patch convolution, CLS token, position embeddings
    patches = F.conv2d(pixels, w[e + 'patch_embeddings.projection.weight'], w[e + 'patch_embeddings.projection.bias'], stride=P)
    x = torch.cat([w[e + 'cls_token'].expand(B, 1, E), patches.flatten(2).transpose(1, 2)], dim=1) + w[e + 'position_embeddings']
    attentions = []
    for i in range(L):
        p = f'{prefix}encoder.layer.{i}.'
        a = layer_norm(x, w[p + 'layernorm_before.weight'], w[p + 'layernorm_before.bias'], eps)
        q, k, v = (lin(a, p + f'attention.attention.{n}').view(B, N + 1, H, D).transpose(1, 2) for n in ('query', 'key', 'value'))
        probs = (q @ k.transpose(-1, -2) / math.sqrt(D)).softmax(-1)
        attentions.append(probs)
        ctx = (probs @ v).transpose(1, 2).reshape(B, N + 1, E)
        x = lin(ctx, p + 'attention.output.dense') + x
        m = layer_norm(x, w[p + 'layernorm_after.weight'], w[p + 'layernorm_after.bias'], eps)
        x = lin(F.gelu(lin(m, p + 'intermediate.dense')), p + 'output.dense') + x
    x = layer_norm(x, w[prefix + 'layernorm.weight'], w[prefix + 'layernorm.bias'], eps)
    expected = {'images_hwc_uint8': images.tolist(), 'pixel_values': arr(pixels), 'last_hidden_state': arr(x), 'attentions': [arr(a) for a in attentions]}
    if num_labels:
        expected['logits'] = arr(lin(x[:, 0], 'classifier'))
    else:
        expected['pooler_output'] = arr(torch.tanh(lin(x[:, 0], 'pooler.dense')))
    config = {
        'architectures': [arch], 'attention_probs_dropout_prob': 0.0, 'encoder_stride': P, 'hidden_act': 'gelu',
        'hidden_dropout_prob': 0.0, 'hidden_size': E, 'image_size': S, 'initializer_range': 0.02,
        'intermediate_size': I, 'layer_norm_eps': eps, 'model_type': 'vit', 'num_attention_heads': H,
        'num_channels': C, 'num_hidden_layers': L, 'patch_size': P, 'qkv_bias': True,
        'torch_dtype': {'F32': 'float32', 'F16': 'float16'}[dtype],
    }
    if num_labels:
        config['id2label'] = {str(i): f'class_{i}' for i in range(num_labels)}
        config['label2id'] = {f'class_{i}': i for i in range(num_labels)}
    preprocessor = {
        'do_normalize': True, 'do_rescale': True, 'do_resize': True, 'image_mean': mean,
        'image_processor_type': 'ViTImageProcessor', 'image_std': std, 'resample': 2,
        'rescale_factor': 0.00392156862745098, 'size': {'height': S, 'width': S},
    }
    write_folder(name, config, list(w.items()), dtype, expected, {'preprocessor_config.json': json.dumps(preprocessor, indent=2) + '\n'})


if __name__ == '__main__':
    make_gpt2()
    make_bert_mlm()
    make_bert_cls()
    make_bert_base()
    make_vit('vit-cls', 'ViTForImageClassification', 'F16', 'vit.', 5)
    make_vit('vit-base', 'ViTModel', 'F32', '', 0)
    print('wrote', OUT, file=sys.stderr)
