"""Golden fixtures computed by PyTorch itself, for @qkv/tensor-core, @qkv/attention, @qkv/transformer and @qkv/nn, and
by Hugging Face `tokenizers`, for @qkv/tokenizer.

The numpy fixtures beside each package (fixtures/make_fixtures.py) re-implement PyTorch's
algorithms by hand, because the development machine has no PyTorch; these come from PyTorch's own
modules (CPU, float64, eval mode, no dropout) and add what the numpy port never had: gradients. Every
case with a `grad_output` also holds `grads`, the gradient of sum(output * grad_output) (plus
sum(h_n * grad_h_n) and sum(c_n * grad_c_n) for the RNNs) with respect to the inputs and to every
parameter, keyed by input name or by PyTorch's state-dict name.

Inputs and weights are rounded to 4 decimals so that float32 holds them almost exactly; outputs are
float64 results rounded to 9 significant digits.

Run where PyTorch is installed (2.x), from the repository root:
    python3 tooling/reference-fixtures/make_fixtures.py [OUT_ROOT]
It writes OUT_ROOT/packages/{tensor-core,attention,transformer,nn}/fixtures/torch/*.json and
OUT_ROOT/packages/tokenizer/fixtures/hf/*.json (OUT_ROOT defaults to the repository root). The committed files were made with PyTorch 2.11.0 (see each file's
`generator`); the JSON arrays are {shape, dtype, data}, with -inf written as the string '-inf'.
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
GENERATOR = f'PyTorch {torch.__version__}, CPU, float64 (tooling/reference-fixtures/make_fixtures.py)'
gen = torch.Generator().manual_seed(20261123)
torch.set_default_dtype(torch.float64)


def rnd(*shape, scale=1.0):
    return torch.round(torch.randn(tuple(shape), generator=gen) * scale, decimals=4)


def rbool(*shape, p=0.5):
    return torch.rand(tuple(shape), generator=gen) < p


def enc(t):
    """{shape, dtype, data}: bool, int32 (from any integer dtype) or float32 (rounded to 9 digits)."""
    t = torch.as_tensor(t).detach()
    if t.dtype == torch.bool:
        return {'shape': list(t.shape), 'dtype': 'bool', 'data': t.reshape(-1).tolist()}
    if not t.is_floating_point():
        return {'shape': list(t.shape), 'dtype': 'int32', 'data': [int(v) for v in t.reshape(-1).tolist()]}
    data = []
    for v in t.reshape(-1).tolist():
        if v == -math.inf:
            data.append('-inf')
        elif math.isfinite(v):
            data.append(float(f'{v:.9g}'))
        else:
            raise ValueError(f'cannot encode {v}')
    return {'shape': list(t.shape), 'dtype': 'float32', 'data': data}


def enc_all(d):
    return {k: enc(v) for k, v in d.items() if v is not None}


def write(package, name, obj, sub='torch'):
    folder = os.path.join(ROOT, 'packages', package, 'fixtures', sub)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name + '.json')
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
    print(f'{path}: {os.path.getsize(path)} bytes')


def fill(module, weight_scale=0.4, bias_scale=0.1):
    """Deterministic parameters: weights N(0, scale²), biases small, LayerNorm weights near 1."""
    modules = dict(module.named_modules())
    with torch.no_grad():
        for name, p in module.named_parameters():
            short = name.split('.')[-1]
            is_norm = isinstance(modules.get(name.rsplit('.', 1)[0] if '.' in name else ''), nn.LayerNorm)
            if is_norm and short == 'weight':
                p.copy_(1 + rnd(*p.shape, scale=0.1))
            elif 'bias' in short and short not in ('bias_k', 'bias_v'):
                p.copy_(rnd(*p.shape, scale=bias_scale))
            else:
                p.copy_(rnd(*p.shape, scale=weight_scale))


def param_grads(module):
    return {name: p.grad for name, p in module.named_parameters()}


def leaf(t):
    return t.clone().requires_grad_(True)


# ---------------------------------------------------------------- @qkv/attention

def sdpa_cases():
    """F.scaled_dot_product_attention (math path in float64), weights from its documented formula."""
    cases = []
    q0, k0, v0 = rnd(2, 2, 3, 4), rnd(2, 2, 5, 4), rnd(2, 2, 5, 6)
    keep = rbool(3, 5, p=0.7)
    keep[:, 0] = True  # no fully masked row (PyTorch gives NaN there; tested separately)
    for name, kw in [
        ('plain', {}),
        ('bool_mask_2d', {'attn_mask': keep}),
        ('float_mask_4d', {'attn_mask': rnd(2, 1, 3, 5)}),
        ('causal_rectangular', {'is_causal': True}),
        ('custom_scale', {'scale': 0.3}),
    ]:
        q, k, v = leaf(q0), leaf(k0), leaf(v0)
        out = F.scaled_dot_product_attention(q, k, v, **kw)
        go = rnd(*out.shape)
        (out * go).sum().backward()
        scale = kw.get('scale', 1 / math.sqrt(q.shape[-1]))
        bias = torch.zeros(3, 5)
        if kw.get('is_causal'):
            bias = bias.masked_fill(~torch.ones(3, 5, dtype=torch.bool).tril(), -math.inf)
        m = kw.get('attn_mask')
        if m is not None:
            bias = bias + (torch.zeros(3, 5).masked_fill(~m, -math.inf) if m.dtype == torch.bool else m)
        with torch.no_grad():
            weights = torch.softmax(q0 @ k0.transpose(-2, -1) * scale + bias, dim=-1)
        case = {'name': name, 'q': enc(q0), 'k': enc(k0), 'v': enc(v0), 'output': enc(out), 'weights': enc(weights),
                'grad_output': enc(go), 'grads': enc_all({'q': q.grad, 'k': k.grad, 'v': v.grad})}
        if m is not None:
            case['attn_mask'] = enc(m)
        if kw.get('is_causal'):
            case['is_causal'] = True
        if 'scale' in kw:
            case['scale'] = kw['scale']
        cases.append(case)
    return cases


def mha_cases():
    """nn.MultiheadAttention with need_weights=True: the six numpy cases, from PyTorch, with gradients."""
    cases = []
    E, H, N, L, S = 8, 2, 2, 3, 4

    def add(name, ctor, fwd, query, key, value, attn_mask=None, key_padding_mask=None, self_attention=False):
        m = nn.MultiheadAttention(E, H, dropout=0.0, **ctor)
        fill(m, weight_scale=0.5)
        m.eval()
        q = leaf(query)
        k, v = (q, q) if self_attention else (leaf(key), leaf(value))
        out, w = m(q, k, v, key_padding_mask=key_padding_mask, attn_mask=attn_mask, need_weights=True, **fwd)
        go = rnd(*out.shape)
        (out * go).sum().backward()
        grads = {'query': q.grad} if self_attention else {'query': q.grad, 'key': k.grad, 'value': v.grad}
        grads.update({f'state_dict.{n}': g for n, g in param_grads(m).items()})
        case = {'name': name, 'embed_dim': E, 'num_heads': H, 'ctor': ctor, 'forward': fwd,
                'state_dict': enc_all(m.state_dict()), 'query': enc(query), 'key': enc(key if not self_attention else query),
                'value': enc(value if not self_attention else query), 'output': enc(out), 'weights': enc(w),
                'self_attention': self_attention, 'grad_output': enc(go), 'grads': enc_all(grads)}
        if attn_mask is not None:
            case['attn_mask'] = enc(attn_mask)
        if key_padding_mask is not None:
            case['key_padding_mask'] = enc(key_padding_mask)
        cases.append(case)

    def alive(mask):
        mask[..., 0] = False
        return mask

    x = rnd(L, N, E)
    add('self_attention_seq_first', {}, {}, x, None, None, self_attention=True)
    qb, kb = rnd(N, L, E), rnd(N, S, E)
    add('bool_masks_batch_first_per_head', {'batch_first': True}, {'average_attn_weights': False}, qb, kb, rnd(N, S, E),
        attn_mask=alive(rbool(L, S, p=0.3)), key_padding_mask=torch.tensor([[False, False, False, True], [False, False, True, True]]))
    add('float_3d_mask_separate_kv_dims', {'kdim': 5, 'vdim': 6}, {}, rnd(L, N, E), rnd(S, N, 5), rnd(S, N, 6),
        attn_mask=rnd(N * H, L, S))
    add('bias_kv_zero_attn_padding', {'add_bias_kv': True, 'add_zero_attn': True}, {}, rnd(L, N, E), rnd(S, N, E), rnd(S, N, E),
        key_padding_mask=torch.tensor([[False, True, False, True], [False, False, False, True]]), attn_mask=rnd(L, S))
    add('no_bias_unbatched_3d_mask', {'bias': False}, {'average_attn_weights': False}, rnd(L, E), rnd(S, E), rnd(S, E),
        attn_mask=alive(rbool(H, L, S, p=0.4)), key_padding_mask=torch.tensor([False, False, True, False]))
    xc = rnd(N, L, E)
    add('causal_float_mask_float_padding', {'batch_first': True}, {}, xc, None, None, self_attention=True,
        attn_mask=torch.triu(torch.full((L, L), -math.inf), 1), key_padding_mask=torch.tensor([[0.0, 0.0, -0.5], [0.0, -1.0, 0.0]]))
    return cases


# ---------------------------------------------------------------- @qkv/transformer

E, H, FF, B, S, T = 8, 2, 16, 2, 5, 4


def padding(lengths, n):
    return torch.tensor([[j >= length for j in range(n)] for length in lengths])


def causal(n):
    return nn.Transformer.generate_square_subsequent_mask(n)


def config(**extra):
    return {'d_model': E, 'nhead': H, 'dim_feedforward': FF, **extra}


def encoder_case(norm_first, activation):
    m = nn.TransformerEncoderLayer(E, H, FF, dropout=0.0, activation=activation, norm_first=norm_first)
    fill(m)
    m.eval()
    src0 = rnd(S, B, E)
    kpm = padding([5, 3], S)
    src = leaf(src0)
    out = m(src, src_key_padding_mask=kpm)
    go = rnd(*out.shape)
    (out * go).sum().backward()
    with torch.no_grad():  # the per-head weights of the layer's self-attention, on the input it sees
        h = m.norm1(src0) if norm_first else src0
        _, w = m.self_attn(h, h, h, key_padding_mask=kpm, need_weights=True, average_attn_weights=False)
    return {
        'generator': GENERATOR,
        'config': config(norm_first=norm_first, activation=activation),
        'inputs': enc_all({'src': src0, 'src_key_padding_mask': kpm, 'grad_output': go}),
        'state_dict': enc_all(m.state_dict()),
        'outputs': enc_all({'output': out, 'self_attn_weights': w}),
        'grads': enc_all({'src': src.grad, **{f'state_dict.{n}': g for n, g in param_grads(m).items()}}),
    }


def decoder_case(norm_first, activation):
    m = nn.TransformerDecoderLayer(E, H, FF, dropout=0.0, activation=activation, norm_first=norm_first)
    fill(m)
    m.eval()
    tgt0, mem0 = rnd(T, B, E), rnd(S, B, E)
    tgt_mask = causal(T)
    mkpm = padding([4, 5], S)
    tkpm = padding([4, 2], T) if norm_first else None
    tgt, mem = leaf(tgt0), leaf(mem0)
    out = m(tgt, mem, tgt_mask=tgt_mask, tgt_key_padding_mask=tkpm, memory_key_padding_mask=mkpm)
    go = rnd(*out.shape)
    (out * go).sum().backward()
    with torch.no_grad():
        h = m.norm1(tgt0) if norm_first else tgt0
        sa, ws = m.self_attn(h, h, h, attn_mask=tgt_mask, key_padding_mask=tkpm, need_weights=True, average_attn_weights=False)
        x = tgt0 + sa if norm_first else m.norm1(tgt0 + sa)
        h = m.norm2(x) if norm_first else x
        _, wc = m.multihead_attn(h, mem0, mem0, key_padding_mask=mkpm, need_weights=True, average_attn_weights=False)
    return {
        'generator': GENERATOR,
        'config': config(norm_first=norm_first, activation=activation),
        'inputs': enc_all({'tgt': tgt0, 'memory': mem0, 'tgt_mask': tgt_mask, 'tgt_key_padding_mask': tkpm,
                           'memory_key_padding_mask': mkpm, 'grad_output': go}),
        'state_dict': enc_all(m.state_dict()),
        'outputs': enc_all({'output': out, 'self_attn_weights': ws, 'cross_attn_weights': wc}),
        'grads': enc_all({'tgt': tgt.grad, 'memory': mem.grad, **{f'state_dict.{n}': g for n, g in param_grads(m).items()}}),
    }


def transformer_case(norm_first, activation):
    m = nn.Transformer(E, H, 2, 2, FF, dropout=0.0, activation=activation, norm_first=norm_first)
    fill(m)
    m.eval()
    src0, tgt0 = rnd(S, B, E), rnd(T, B, E)
    skpm = padding([5, 4], S)
    tgt_mask = causal(T)
    src, tgt = leaf(src0), leaf(tgt0)
    out = m(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=skpm, memory_key_padding_mask=skpm)
    go = rnd(*out.shape)
    (out * go).sum().backward()
    return {
        'generator': GENERATOR,
        'config': config(num_encoder_layers=2, num_decoder_layers=2, norm_first=norm_first, activation=activation),
        'inputs': enc_all({'src': src0, 'tgt': tgt0, 'tgt_mask': tgt_mask, 'src_key_padding_mask': skpm, 'grad_output': go}),
        'state_dict': enc_all(m.state_dict()),
        'outputs': enc_all({'output': out}),
        'grads': enc_all({'src': src.grad, 'tgt': tgt.grad, **{f'state_dict.{n}': g for n, g in param_grads(m).items()}}),
    }


def seq2seq_training_case():
    """Eight AdamW steps of the translation tutorial's Seq2SeqTransformer, as @qkv/transformer builds it.

    The module below has exactly the parameters and names of qkv's Seq2SeqTransformer (batch-first,
    token embeddings scaled by sqrt(d_model), the fixed sinusoidal table, nn.Transformer, a linear
    generator); the loop is the recipes' one: label-smoothed cross-entropy that ignores padding,
    clip_grad_norm_(1.0), AdamW. Records the loss before every step and the logits after the last.
    """
    V_SRC, V_TGT, D, NH, FFD, PAD = 11, 13, 16, 2, 32, 0

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = nn.Transformer(D, NH, 2, 2, FFD, dropout=0.0, batch_first=True)
            self.generator = nn.Linear(D, V_TGT)
            self.src_tok_emb = nn.Embedding(V_SRC, D, padding_idx=PAD)
            self.tgt_tok_emb = nn.Embedding(V_TGT, D, padding_idx=PAD)
            pos = torch.arange(64).unsqueeze(1)
            i2 = torch.arange(0, D, 2)
            table = torch.zeros(64, D)
            table[:, 0::2] = torch.sin(pos / 10000 ** (i2 / D))
            table[:, 1::2] = torch.cos(pos / 10000 ** (i2 / D))
            self.register_buffer('pe', table, persistent=False)

        def embed(self, emb, ids):
            return emb(ids) * math.sqrt(D) + self.pe[: ids.shape[1]]

        def forward(self, src, tgt):
            src_pad, tgt_pad = src == PAD, tgt == PAD
            out = self.transformer(self.embed(self.src_tok_emb, src), self.embed(self.tgt_tok_emb, tgt),
                                   tgt_mask=causal(tgt.shape[1]), src_key_padding_mask=src_pad,
                                   tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
            return self.generator(out)

    m = Seq2Seq()
    fill(m, weight_scale=0.3)
    with torch.no_grad():
        m.src_tok_emb.weight.copy_(rnd(V_SRC, D, scale=0.25))
        m.tgt_tok_emb.weight.copy_(rnd(V_TGT, D, scale=0.25))
        m.src_tok_emb.weight[PAD].zero_()
        m.tgt_tok_emb.weight[PAD].zero_()
    init = {k: v.clone() for k, v in m.state_dict().items()}

    def ids(lengths, width, vocab, bos=None):
        rows = []
        for n in lengths:
            body = torch.randint(3, vocab, (n,), generator=gen).tolist()
            row = ([bos] if bos is not None else []) + body + [2]
            rows.append(row + [PAD] * (width - len(row)))
        return torch.tensor(rows)

    batches = []
    for _ in range(4):
        src = ids([5, 3, 4], 6, V_SRC)
        tgt = ids([4, 5, 2], 7, V_TGT, bos=1)  # <sos>=1 … <eos>=2, padded with 0
        batches.append((src, tgt))
    opt = torch.optim.AdamW(m.parameters(), lr=3e-3, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.01)
    m.train()
    losses, norms = [], []
    for step in range(8):
        src, tgt = batches[step % 4]
        logits = m(src, tgt[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, V_TGT), tgt[:, 1:].reshape(-1), ignore_index=PAD, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)))
        opt.step()
        losses.append(float(loss))
    m.eval()
    src, tgt = batches[0]
    final_logits = m(src, tgt[:, :-1]).detach()  # with autograd on, so PyTorch takes its reference (non-fused) path
    return {
        'generator': GENERATOR,
        'config': {'src_vocab_size': V_SRC, 'tgt_vocab_size': V_TGT, 'd_model': D, 'nhead': NH, 'num_encoder_layers': 2,
                   'num_decoder_layers': 2, 'dim_feedforward': FFD, 'pad_id': PAD, 'dropout': 0.0,
                   'optimizer': {'name': 'AdamW', 'lr': 3e-3, 'betas': [0.9, 0.98], 'eps': 1e-9, 'weight_decay': 0.01},
                   'label_smoothing': 0.1, 'clip_grad_norm': 1.0, 'steps': 8},
        'state_dict': enc_all(init),
        'batches': [{'src': enc(s), 'tgt': enc(t)} for s, t in batches],
        'losses': losses,
        'grad_norms': norms,
        'final_logits': enc(final_logits),
        'final_state_dict': enc_all({k: v for k, v in m.state_dict().items() if k in ('generator.weight', 'src_tok_emb.weight', 'transformer.decoder.norm.weight')}),
    }


# ---------------------------------------------------------------- @qkv/nn

def rnn_case(kind, batch_first, bidirectional, num_layers, bias):
    cls = nn.GRU if kind == 'gru' else nn.LSTM
    I, Hd, Tn, Bn = 3, 4, 5, 2
    m = cls(I, Hd, num_layers=num_layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional)
    fill(m, weight_scale=0.5, bias_scale=0.3)
    D = 2 if bidirectional else 1
    x0 = rnd(Bn, Tn, I) if batch_first else rnd(Tn, Bn, I)
    h00 = rnd(num_layers * D, Bn, Hd, scale=0.5)
    x, h0 = leaf(x0), leaf(h00)
    inputs = {'input': x0, 'h0': h00}
    if kind == 'lstm':
        c00 = rnd(num_layers * D, Bn, Hd, scale=0.5)
        c0 = leaf(c00)
        inputs['c0'] = c00
        out, (hn, cn) = m(x, (h0, c0))
    else:
        out, hn = m(x, h0)
    go, gh = rnd(*out.shape), rnd(*hn.shape)
    inputs.update({'grad_output': go, 'grad_h_n': gh})
    loss = (out * go).sum() + (hn * gh).sum()
    outputs = {'output': out, 'h_n': hn}
    if kind == 'lstm':
        gc = rnd(*cn.shape)
        inputs['grad_c_n'] = gc
        loss = loss + (cn * gc).sum()
        outputs['c_n'] = cn
    loss.backward()
    grads = {'input': x.grad, 'h0': h0.grad, **{f'state_dict.{n}': g for n, g in param_grads(m).items()}}
    if kind == 'lstm':
        grads['c0'] = c0.grad
    return {
        'name': f'{kind}_layers{num_layers}_{"bi" if bidirectional else "uni"}_{"batch_first" if batch_first else "seq_first"}{"" if bias else "_no_bias"}',
        'kind': kind,
        'config': {'input_size': I, 'hidden_size': Hd, 'num_layers': num_layers, 'bias': bias, 'batch_first': batch_first, 'bidirectional': bidirectional},
        'inputs': enc_all(inputs), 'state_dict': enc_all(m.state_dict()), 'outputs': enc_all(outputs), 'grads': enc_all(grads),
    }


def loss_cases():
    """F.cross_entropy (class indices, with ignore_index and label smoothing; K-dimensional), F.nll_loss."""
    cases = []
    for name, shape, kw in [
        ('mean', (6, 5), {}),
        ('mean_ignore_smoothing', (6, 5), {'ignore_index': 2, 'label_smoothing': 0.1}),
        ('sum_smoothing', (6, 5), {'reduction': 'sum', 'label_smoothing': 0.25}),
        ('none_ignore', (6, 5), {'reduction': 'none', 'ignore_index': 0}),
        ('k_dim_mean_ignore_smoothing', (2, 4, 3), {'ignore_index': 1, 'label_smoothing': 0.2}),
    ]:
        x0 = rnd(*shape, scale=2.0)
        target = torch.randint(0, shape[1], (shape[0],) + shape[2:], generator=gen)
        x = leaf(x0)
        out = F.cross_entropy(x, target, **kw)
        go = rnd(*out.shape)
        (out * go).sum().backward()
        cases.append({'name': name, 'loss': 'cross_entropy', 'options': kw, 'input': enc(x0), 'target': enc(target),
                      'output': enc(out), 'grad_output': enc(go), 'grad_input': enc(x.grad)})
    x0 = rnd(6, 5)
    target = torch.randint(0, 5, (6,), generator=gen)
    x = leaf(x0)
    out = F.nll_loss(F.log_softmax(x, dim=1), target, ignore_index=3)
    out.backward()
    cases.append({'name': 'nll_of_log_softmax_ignore', 'loss': 'nll_loss_of_log_softmax', 'options': {'ignore_index': 3},
                  'input': enc(x0), 'target': enc(target), 'output': enc(out), 'grad_output': enc(torch.tensor(1.0)), 'grad_input': enc(x.grad)})
    return cases


def layer_case():
    """nn.LayerNorm over the last dim and over the last two, nn.GELU (erf and tanh), nn.Embedding with padding_idx."""
    out = {}
    for name, shape in [('layer_norm_last', [6]), ('layer_norm_last_two', [3, 4])]:
        m = nn.LayerNorm(shape)
        with torch.no_grad():
            m.weight.copy_(1 + rnd(*shape, scale=0.2))
            m.bias.copy_(rnd(*shape, scale=0.2))
        x0 = rnd(2, 3, 3, 4) if len(shape) == 2 else rnd(2, 3, 6, scale=2.0)
        x = leaf(x0)
        y = m(x)
        go = rnd(*y.shape)
        (y * go).sum().backward()
        out[name] = {'normalized_shape': shape, 'input': enc(x0), 'state_dict': enc_all(m.state_dict()), 'output': enc(y),
                     'grad_output': enc(go), 'grads': enc_all({'input': x.grad, 'state_dict.weight': m.weight.grad, 'state_dict.bias': m.bias.grad})}
    for approx in ('none', 'tanh'):
        x0 = rnd(4, 5, scale=2.0)
        x = leaf(x0)
        y = F.gelu(x, approximate=approx)
        go = rnd(*y.shape)
        (y * go).sum().backward()
        out[f'gelu_{approx}'] = {'approximate': approx, 'input': enc(x0), 'output': enc(y), 'grad_output': enc(go), 'grads': enc_all({'input': x.grad})}
    m = nn.Embedding(7, 3, padding_idx=2)
    with torch.no_grad():
        m.weight.copy_(rnd(7, 3))
        m.weight[2].zero_()
    ids = torch.tensor([[2, 0, 5, 5], [6, 2, 1, 0]])
    y = m(ids)
    go = rnd(*y.shape)
    (y * go).sum().backward()
    out['embedding_padding_idx'] = {'num_embeddings': 7, 'embedding_dim': 3, 'padding_idx': 2, 'input': enc(ids),
                                    'state_dict': enc_all(m.state_dict()), 'output': enc(y), 'grad_output': enc(go),
                                    'grads': enc_all({'state_dict.weight': m.weight.grad})}
    return out


def optim_cases():
    """Five steps of torch.optim.Adam / AdamW / SGD on two parameters with given gradients, and clip_grad_norm_."""
    cases = []
    p0 = {'w': rnd(3, 4), 'b': rnd(4)}
    grads = [{'w': rnd(3, 4), 'b': rnd(4)} for _ in range(5)]
    for name, cls, kw in [
        ('adam_defaults', torch.optim.Adam, {'lr': 0.01}),
        ('adam_l2', torch.optim.Adam, {'lr': 0.02, 'betas': (0.8, 0.99), 'eps': 1e-6, 'weight_decay': 0.1}),
        ('adamw_transformer', torch.optim.AdamW, {'lr': 0.01, 'betas': (0.9, 0.98), 'eps': 1e-9, 'weight_decay': 0.01}),
        ('adamw_amsgrad', torch.optim.AdamW, {'lr': 0.01, 'weight_decay': 0.1, 'amsgrad': True}),
        ('sgd_plain', torch.optim.SGD, {'lr': 0.1}),
        ('sgd_momentum_dampening_wd', torch.optim.SGD, {'lr': 0.1, 'momentum': 0.9, 'dampening': 0.1, 'weight_decay': 0.01}),
        ('sgd_nesterov', torch.optim.SGD, {'lr': 0.05, 'momentum': 0.9, 'nesterov': True, 'weight_decay': 0.001}),
    ]:
        params = {k: v.clone().requires_grad_(True) for k, v in p0.items()}
        opt = cls(list(params.values()), **kw)
        trajectory = []
        for g in grads:
            for k, p in params.items():
                p.grad = g[k].clone()
            opt.step()
            trajectory.append(enc_all({k: p.detach().clone() for k, p in params.items()}))
        cases.append({'name': name, 'optimizer': cls.__name__, 'options': {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()},
                      'params': enc_all(p0), 'grads': [enc_all(g) for g in grads], 'trajectory': trajectory})
    clip = []
    for max_norm, norm_type in [(1.0, 2.0), (0.5, 1.0), (2.0, math.inf), (100.0, 2.0)]:
        params = {k: v.clone().requires_grad_(True) for k, v in p0.items()}
        for k, p in params.items():
            p.grad = grads[0][k].clone()
        total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm, norm_type=norm_type)
        clip.append({'max_norm': max_norm, 'norm_type': 'inf' if norm_type == math.inf else norm_type, 'total_norm': float(total),
                     'clipped': enc_all({k: p.grad for k, p in params.items()})})
    return {'generator': GENERATOR, 'cases': cases, 'clip_grad_norm': {'params': enc_all(p0), 'grads': enc_all(grads[0]), 'cases': clip}}


# ---------------------------------------------------------------- @qkv/tensor-core

def op_cases():
    """Tensor ops against torch: each case's output and the gradient of sum(output * grad_output)
    (summed over the outputs of split/chunk) with respect to its float inputs. Inputs avoid the
    points where an op has no derivative (|x| = 0 for abs, ties for max/maximum, clamp's bounds)."""
    x35, x234 = rnd(3, 5), rnd(2, 3, 4)
    pos = rnd(3, 5).abs() + 0.5
    away = torch.where(rnd(3, 5) >= 0, 1.0, -1.0) * (rnd(3, 5).abs() + 0.5)
    idx_gather = torch.randint(0, 5, (3, 2), generator=gen)
    idx_select = torch.tensor([2, 0, 2])
    cond = rbool(3, 5)
    spec = [
        # name, function, inputs, names of the inputs to differentiate
        ('exp', lambda x: x.exp(), {'x': x35}),
        ('log', lambda x: x.log(), {'x': pos}),
        ('sqrt', lambda x: x.sqrt(), {'x': pos}),
        ('rsqrt', lambda x: x.rsqrt(), {'x': pos}),
        ('abs', lambda x: x.abs(), {'x': away}),
        ('neg', lambda x: -x, {'x': x35}),
        ('square', lambda x: x.square(), {'x': x35}),
        ('tanh', lambda x: x.tanh(), {'x': x35}),
        ('sigmoid', lambda x: x.sigmoid(), {'x': x35}),
        ('relu', lambda x: x.relu(), {'x': away}),
        ('gelu', lambda x: F.gelu(x), {'x': x35}),
        ('gelu_tanh', lambda x: F.gelu(x, approximate='tanh'), {'x': x35}),
        ('silu', lambda x: F.silu(x), {'x': x35}),
        ('erf', lambda x: torch.erf(x), {'x': x35}),
        ('sin', lambda x: x.sin(), {'x': x35}),
        ('cos', lambda x: x.cos(), {'x': x35}),
        ('clamp', lambda x: x.clamp(-0.45, 0.55), {'x': x35}),
        ('pow_scalar', lambda x: x.pow(3), {'x': x35}),
        ('pow_tensor', lambda x, y: x.pow(y), {'x': pos, 'y': rnd(3, 5)}),
        ('add_broadcast', lambda x, y: x + y, {'x': rnd(2, 1, 4), 'y': rnd(3, 4)}),
        ('sub_broadcast', lambda x, y: x - y, {'x': rnd(3, 1), 'y': rnd(1, 5)}),
        ('mul_broadcast', lambda x, y: x * y, {'x': x234, 'y': rnd(4)}),
        ('div_broadcast', lambda x, y: x / y, {'x': rnd(2, 3, 5), 'y': away}),
        ('maximum', lambda x, y: torch.maximum(x, y), {'x': x35, 'y': rnd(3, 5)}),
        ('minimum', lambda x, y: torch.minimum(x, y), {'x': x35, 'y': rnd(1, 5)}),
        ('where', lambda c, x, y: torch.where(c, x, y), {'c': cond, 'x': x35, 'y': rnd(1, 5)}),
        ('masked_fill', lambda x, m: x.masked_fill(m, -2.5), {'x': x35, 'm': rbool(1, 5)}),
        ('sum_all', lambda x: x.sum(), {'x': x234}),
        ('sum_dims_keepdim', lambda x: x.sum(dim=(0, 2), keepdim=True), {'x': x234}),
        ('mean_dim', lambda x: x.mean(dim=1), {'x': x234}),
        ('amax_dim', lambda x: x.amax(dim=-1), {'x': x234}),
        ('amin_dims', lambda x: x.amin(dim=(0, 1), keepdim=True), {'x': x234}),
        ('argmax_dim', lambda x: x.argmax(dim=1), {'x': x234}),
        ('argmin_dim_keepdim', lambda x: x.argmin(dim=2, keepdim=True), {'x': x234}),
        ('var_default', lambda x: x.var(dim=1), {'x': x234}),
        ('var_population', lambda x: x.var(dim=(0, 2), correction=0, keepdim=True), {'x': x234}),
        ('std_all', lambda x: x.std(), {'x': x234}),
        ('softmax_dim0', lambda x: x.softmax(dim=0), {'x': x234}),
        ('log_softmax_last', lambda x: x.log_softmax(dim=-1), {'x': x234 * 3}),
        ('matmul_batched_2d', lambda a, b: a @ b, {'a': x234, 'b': rnd(4, 5)}),
        ('matmul_vector_matrix', lambda a, b: a @ b, {'a': rnd(4), 'b': rnd(4, 5)}),
        ('matmul_broadcast_batch', lambda a, b: a @ b, {'a': rnd(2, 1, 3, 4), 'b': rnd(3, 4, 2)}),
        ('matmul_matrix_vector', lambda a, b: a @ b, {'a': rnd(2, 3, 4), 'b': rnd(4)}),
        ('matmul_dot', lambda a, b: a @ b, {'a': rnd(4), 'b': rnd(4)}),
        ('transpose', lambda x: x.transpose(0, 2), {'x': x234}),
        ('permute', lambda x: x.permute(2, 0, 1), {'x': x234}),
        ('expand', lambda x: x.expand(2, 3, 5), {'x': rnd(3, 1)}),
        ('narrow', lambda x: x.narrow(2, 1, 2), {'x': x234}),
        ('slice_step', lambda x: x[:, :, 1::2], {'x': x234}),
        ('select_negative', lambda x: x.select(1, -1), {'x': x234}),
        ('split_sizes', lambda x: x.split([1, 2], dim=1), {'x': x234}),
        ('chunk_uneven', lambda x: x.chunk(3, dim=2), {'x': rnd(2, 3, 5)}),
        ('cat_dim1', lambda x, y: torch.cat([x, y], dim=1), {'x': x234, 'y': rnd(2, 2, 4)}),
        ('stack_dim_last', lambda x, y: torch.stack([x, y], dim=-1), {'x': x35, 'y': rnd(3, 5)}),
        ('gather_dim1', lambda x, i: x.gather(1, i), {'x': x35, 'i': idx_gather}),
        ('index_select_repeat', lambda x, i: x.index_select(0, i), {'x': x35, 'i': idx_select}),
        ('tril_minus1', lambda x: x.tril(-1), {'x': x35}),
        ('triu_plus1', lambda x: x.triu(1), {'x': x234}),
        ('layer_norm', lambda x, w, b: F.layer_norm(x, (4,), w, b), {'x': x234, 'w': 1 + rnd(4, scale=0.2), 'b': rnd(4, scale=0.2)}),
        ('embedding', lambda i, w: F.embedding(i, w), {'i': torch.tensor([[1, 3, 1], [0, 2, 4]]), 'w': rnd(5, 3)}),
        ('one_hot', lambda i: F.one_hot(i, 6), {'i': torch.tensor([[1, 5], [0, 1]])}),
        ('masked_softmax_scores', lambda q, k: (q @ k.transpose(-2, -1)).masked_fill(torch.ones(3, 4, dtype=torch.bool).triu(1), -math.inf).softmax(-1),
         {'q': rnd(2, 3, 4), 'k': rnd(2, 4, 4)}),
    ]
    cases = []
    for name, fn, inputs in spec:
        leaves = {k: leaf(v) if v.is_floating_point() else v for k, v in inputs.items()}
        out = fn(*leaves.values())
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        differentiable = [k for k, v in leaves.items() if v.is_floating_point()] if outs[0].is_floating_point() else []
        case = {'name': name, 'inputs': enc_all(inputs), 'outputs': [enc(o) for o in outs]}
        if differentiable:
            gos = [rnd(*o.shape) for o in outs]
            sum((o * g).sum() for o, g in zip(outs, gos)).backward()
            case['grad_outputs'] = [enc(g) for g in gos]
            case['grads'] = enc_all({k: leaves[k].grad for k in differentiable})
        cases.append(case)
    return cases


# ---------------------------------------------------------------- @qkv/tokenizer (Hugging Face tokenizers)

SAMPLES = [
    'Héllo, WORLD! The unaffable naïve café résumé.',
    "don't stop-believing... it's 3.14159 and 1,000,000",
    '你好世界 and 東京 mixed with Hangul 한국어',
    'tabs\tand\nnewlines  and   runs of spaces',
    'Ünïcödé ß ﬁ ligature, Ångström, Œuvre',
    'emoji 🤗 and 🎉 outside the BMP',
    'zero\u200bwidth and \u0007bell control',
    'MultiheadAttention(embed_dim=512, num_heads=8) -> [B, T, C]',
    'x' * 120,
    '',
]


def utf16_offsets(text, offsets):
    """Code-point offsets (Python) to UTF-16 offsets (JavaScript)."""
    pos = [0]
    for ch in text:
        pos.append(pos[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return [[pos[a], pos[b]] for a, b in offsets]


def tokenizer_cases():
    import tokenizers
    from tokenizers import BertWordPieceTokenizer, ByteLevelBPETokenizer
    from tokenizers.processors import BertProcessing

    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    corpus = sorted(os.path.join(root, d, name, 'README.md') for d in ('packages', 'apps') for name in os.listdir(os.path.join(root, d))
                    if os.path.exists(os.path.join(root, d, name, 'README.md')))
    # HF's WordPiece trainer orders tokens of equal count differently from run to run, so a rerun
    # writes another (equally valid) vocabulary; the tests read whatever vocabulary the file holds.
    generator = f'Hugging Face tokenizers {tokenizers.__version__} (tooling/reference-fixtures/make_fixtures.py)'
    out = {'generator': generator, 'wordpiece': [], 'bpe': None}
    for lowercase in (True, False):
        tok = BertWordPieceTokenizer(lowercase=lowercase, clean_text=True, handle_chinese_chars=True)
        tok.train(corpus, vocab_size=600, min_frequency=2, limit_alphabet=300, wordpieces_prefix='##')
        # the wrapper sets up [CLS] … [SEP] only when built from a vocabulary, not when trained
        tok._tokenizer.post_processor = BertProcessing(('[SEP]', tok.token_to_id('[SEP]')), ('[CLS]', tok.token_to_id('[CLS]')))
        vocab = [tok.id_to_token(i) for i in range(tok.get_vocab_size())]
        encodings = []
        for text in SAMPLES:
            e = tok.encode(text, add_special_tokens=False)
            encodings.append({'text': text, 'ids': e.ids, 'tokens': e.tokens, 'offsets': utf16_offsets(text, e.offsets)})
        pair = tok.encode(SAMPLES[0], add_special_tokens=True)
        out['wordpiece'].append({'lowercase': lowercase, 'vocab': vocab, 'encodings': encodings,
                                 'with_special_tokens': {'text': SAMPLES[0], 'ids': pair.ids, 'tokens': pair.tokens}})
    bpe = ByteLevelBPETokenizer()
    bpe.train(corpus, vocab_size=700, min_frequency=2, special_tokens=['<|endoftext|>'])
    model = json.loads(bpe.to_str())['model']
    merges = [m if isinstance(m, str) else ' '.join(m) for m in model['merges']]
    encodings = [{'text': text, 'ids': bpe.encode(text).ids, 'tokens': bpe.encode(text).tokens} for text in SAMPLES]
    out['bpe'] = {'vocab_json': json.dumps(model['vocab'], ensure_ascii=False), 'merges_txt': '#version: 0.2\n' + '\n'.join(merges) + '\n',
                  'encodings': encodings}
    return out


if __name__ == '__main__':
    write('attention', 'sdpa', {'generator': GENERATOR, 'cases': sdpa_cases()})
    write('attention', 'mha', {'generator': GENERATOR, 'cases': mha_cases()})
    write('transformer', 'encoder_layer_post_relu', encoder_case(False, 'relu'))
    write('transformer', 'encoder_layer_pre_gelu', encoder_case(True, 'gelu'))
    write('transformer', 'decoder_layer_post_relu', decoder_case(False, 'relu'))
    write('transformer', 'decoder_layer_pre_gelu', decoder_case(True, 'gelu'))
    write('transformer', 'transformer_post_relu', transformer_case(False, 'relu'))
    write('transformer', 'transformer_pre_gelu', transformer_case(True, 'gelu'))
    write('nn', 'rnn', {'generator': GENERATOR, 'cases': [
        rnn_case('gru', False, False, 1, True),
        rnn_case('gru', True, True, 2, True),
        rnn_case('gru', False, True, 1, False),
        rnn_case('lstm', False, False, 1, True),
        rnn_case('lstm', True, True, 2, True),
    ]})
    write('nn', 'losses', {'generator': GENERATOR, 'cases': loss_cases()})
    write('nn', 'layers', {'generator': GENERATOR, **layer_case()})
    write('nn', 'optim', optim_cases())
    write('tokenizer', 'tokenizers', tokenizer_cases(), sub='hf')
    write('transformer', 'seq2seq_training', seq2seq_training_case())  # last: earlier files keep their random draws
    write('tensor-core', 'ops', {'generator': GENERATOR, 'cases': op_cases()})  # after the others: they keep their draws
