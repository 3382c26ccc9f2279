"""The PyTorch peer of `pnpm bench`: the same maths as the gemm, mha and encoder suites, timed in
PyTorch on this CPU, with the suite's own inputs and weights so its answers are checked like every
other peer's.

It reads one JSON request per line on stdin and writes one JSON answer per line on stdout. Arrays
travel as base64 float32 (int32 for targets). Each request names its thread count; timing follows
apps/benchmark's harness: one warm-up call, then at least `min_runs` runs and at least 1.5 s (2
runs in quick mode), median/min/max in ms.

Requests (`op`):
  probe                              → {torch, threads}
  gemm  m k n a b                    → y, timing
  mha   L E H in_proj in_bias out_proj out_bias x g pass   (pass: forward | forward+backward)
                                     → y (forward) or dx, d_in_proj (forward+backward), timing
  encoder B L E H F weights x targets → loss, grad (linear1.weight), loss_after (one Adam step),
                                       timing of a whole step (forward, cross-entropy, backward, Adam)

Run by apps/benchmark/src/peers/torch.ts; not part of CI (CI has no torch).
"""
import base64
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def arr(s, dtype=np.float32):
    return torch.from_numpy(np.frombuffer(base64.b64decode(s), dtype=dtype).copy())


def b64(t):
    return base64.b64encode(np.ascontiguousarray(t.detach().numpy(), dtype=np.float32).tobytes()).decode('ascii')


def timed(fn, quick, min_runs=5, min_ms=1500.0):
    fn()  # warm-up
    times = []
    start = time.perf_counter()
    runs = 2 if quick else min_runs
    while len(times) < runs or (not quick and (time.perf_counter() - start) * 1000 < min_ms):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        if len(times) >= 200:
            break
    times.sort()
    n = len(times)
    med = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    return {'medianMs': med, 'minMs': times[0], 'maxMs': times[-1], 'runs': n}


def gemm(r):
    m, k, n = r['m'], r['k'], r['n']
    a, b = arr(r['a']).reshape(m, k), arr(r['b']).reshape(k, n)
    with torch.no_grad():
        y = a @ b
        return {'y': b64(y), **timed(lambda: a @ b, r['quick'])}


def mha_module(r):
    E, H = r['E'], r['H']
    m = nn.MultiheadAttention(E, H, batch_first=True)
    with torch.no_grad():
        m.in_proj_weight.copy_(arr(r['in_proj']).reshape(3 * E, E))
        m.in_proj_bias.copy_(arr(r['in_bias']))
        m.out_proj.weight.copy_(arr(r['out_proj']).reshape(E, E))
        m.out_proj.bias.copy_(arr(r['out_bias']))
    return m


def mha(r):
    L, E = r['L'], r['E']
    m = mha_module(r)
    x = arr(r['x']).reshape(1, L, E)
    g = arr(r['g']).reshape(1, L, E)
    if r['pass'] == 'forward':
        m.eval()
        with torch.no_grad():
            run = lambda: m(x, x, x, need_weights=False)[0]
            return {'y': b64(run()), **timed(run, r['quick'], min_runs=3)}
    xg = x.clone().requires_grad_(True)

    def step():
        m.zero_grad(set_to_none=True)
        xg.grad = None
        y = m(xg, xg, xg, need_weights=False)[0]
        y.backward(g)
        return y

    step()
    return {'dx': b64(xg.grad), 'd_in_proj': b64(m.in_proj_weight.grad), **timed(step, r['quick'], min_runs=3)}


def encoder(r):
    B, L, E, H, Fd = r['B'], r['L'], r['E'], r['H'], r['F']
    w = r['weights']
    layer = nn.TransformerEncoderLayer(E, H, dim_feedforward=Fd, dropout=0.0, batch_first=True)
    with torch.no_grad():
        a = layer.self_attn
        a.in_proj_weight.copy_(arr(w['inProj']).reshape(3 * E, E))
        a.in_proj_bias.copy_(arr(w['inBias']))
        a.out_proj.weight.copy_(arr(w['outProj']).reshape(E, E))
        a.out_proj.bias.copy_(arr(w['outBias']))
        layer.linear1.weight.copy_(arr(w['linear1W']).reshape(Fd, E))
        layer.linear1.bias.copy_(arr(w['linear1B']))
        layer.linear2.weight.copy_(arr(w['linear2W']).reshape(E, Fd))
        layer.linear2.bias.copy_(arr(w['linear2B']))
        layer.norm1.weight.copy_(arr(w['norm1W']))
        layer.norm1.bias.copy_(arr(w['norm1B']))
        layer.norm2.weight.copy_(arr(w['norm2W']))
        layer.norm2.bias.copy_(arr(w['norm2B']))
    layer.train()  # dropout 0: the training path, as qkv's and tfjs's steps
    opt = torch.optim.Adam(layer.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    x = arr(r['x']).reshape(B, L, E)
    t = arr(r['targets'], np.int32).long()

    def loss_and_grad():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(layer(x).reshape(B * L, E), t)  # the E outputs as logits
        loss.backward()
        return loss

    first = loss_and_grad()
    grad = layer.linear1.weight.grad.clone()
    opt.step()
    after = loss_and_grad()
    opt.step()

    def step():
        loss_and_grad()
        opt.step()

    return {'loss': first.item(), 'grad': b64(grad), 'loss_after': after.item(), **timed(step, r['quick'], min_runs=3)}


OPS = {'gemm': gemm, 'mha': mha, 'encoder': encoder}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            r = json.loads(line)
            torch.set_num_threads(int(r.get('threads', 1)))
            if r['op'] == 'probe':
                answer = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': torch.__config__.show().count('BLAS')}
            else:
                answer = OPS[r['op']](r)
        except Exception as e:  # the suite reports it and goes on without this peer
            answer = {'error': f'{type(e).__name__}: {e}'}
        sys.stdout.write(json.dumps(answer) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
