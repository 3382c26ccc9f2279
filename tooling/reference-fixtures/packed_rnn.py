"""Golden values for GRU/LSTM over padded batches with per-sequence lengths (@qkv/nn's `lengths`
option), from PyTorch's own `pack_padded_sequence(..., enforce_sorted=False)` and
`pad_packed_sequence`: outputs, final states and every gradient.

Run from the repository root where PyTorch is installed (the committed file was made with
Debian's python3-torch 1.13 on the 2-core development machine):
    /usr/bin/python3 tooling/reference-fixtures/packed_rnn.py [OUT_ROOT]
It writes OUT_ROOT/packages/nn/fixtures/torch/rnn_packed.json in make_fixtures.py's format.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import make_fixtures as mf

mf.GENERATOR = f'PyTorch {torch.__version__}, CPU, float64 (tooling/reference-fixtures/packed_rnn.py)'


def packed_case(kind, batch_first, bidirectional, num_layers, lengths):
    cls = nn.GRU if kind == 'gru' else nn.LSTM
    I, Hd, Tn, Bn = 3, 4, max(lengths), len(lengths)
    m = cls(I, Hd, num_layers=num_layers, batch_first=batch_first, bidirectional=bidirectional)
    mf.fill(m, weight_scale=0.5, bias_scale=0.3)
    D = 2 if bidirectional else 1
    x0 = mf.rnd(Bn, Tn, I) if batch_first else mf.rnd(Tn, Bn, I)
    h00 = mf.rnd(num_layers * D, Bn, Hd, scale=0.5)
    x, h0 = mf.leaf(x0), mf.leaf(h00)
    inputs = {'input': x0, 'h0': h00}
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
    if kind == 'lstm':
        c00 = mf.rnd(num_layers * D, Bn, Hd, scale=0.5)
        c0 = mf.leaf(c00)
        inputs['c0'] = c00
        out_p, (hn, cn) = m(packed, (h0, c0))
    else:
        out_p, hn = m(packed, h0)
    out, _ = pad_packed_sequence(out_p, batch_first=batch_first, total_length=Tn)
    go, gh = mf.rnd(*out.shape), mf.rnd(*hn.shape)
    inputs.update({'grad_output': go, 'grad_h_n': gh})
    loss = (out * go).sum() + (hn * gh).sum()
    outputs = {'output': out, 'h_n': hn}
    if kind == 'lstm':
        gc = mf.rnd(*cn.shape)
        inputs['grad_c_n'] = gc
        loss = loss + (cn * gc).sum()
        outputs['c_n'] = cn
    loss.backward()
    grads = {'input': x.grad, 'h0': h0.grad, **{f'state_dict.{n}': g for n, g in mf.param_grads(m).items()}}
    if kind == 'lstm':
        grads['c0'] = c0.grad
    return {
        'name': f'{kind}_layers{num_layers}_{"bi" if bidirectional else "uni"}_{"batch_first" if batch_first else "seq_first"}_lengths{"_".join(map(str, lengths))}',
        'kind': kind,
        'lengths': lengths,
        'config': {'input_size': I, 'hidden_size': Hd, 'num_layers': num_layers, 'bias': True, 'batch_first': batch_first, 'bidirectional': bidirectional},
        'inputs': mf.enc_all(inputs), 'state_dict': mf.enc_all(m.state_dict()), 'outputs': mf.enc_all(outputs), 'grads': mf.enc_all(grads),
    }


if __name__ == '__main__':
    mf.write('nn', 'rnn_packed', {'generator': mf.GENERATOR, 'cases': [
        packed_case('gru', True, True, 2, [5, 2, 3]),
        packed_case('gru', False, False, 1, [1, 4, 4]),
        packed_case('lstm', True, True, 2, [3, 5, 1]),
    ]})
