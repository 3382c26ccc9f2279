"""The g2p-transformer recipe re-run in PyTorch, as a reference for what qkv's training reaches.

It reads the recipe's exact data (`qkv`'s CMUdict split, seed 0, stressless; written by
g2p-data.ts, see README.md beside this file), builds the same model
(nn.Transformer d_model 128, 4 heads, 3 + 3 layers, feed-forward 512, batch-first; token embeddings
N(0, 1/d_model) with a zero padding row, scaled by sqrt(d_model); the sinusoidal table; a linear
generator) and trains it as `qkv train g2p-transformer --set stress=0 --set schedule=1` does:
batches of 128 pairs of similar length, label-smoothed (0.1) cross-entropy that ignores padding,
clip_grad_norm_(1.0), AdamW(betas (0.9, 0.98), eps 1e-9, weight decay 0.01), 800 warmup steps then
half a cosine down to a tenth of the peak learning rate 1.5e-3 at the last step. Then it decodes the
test split greedily (at most 32 phonemes) and writes the predictions, which qkv's own metric scores.

    python3 g2p_transformer_pytorch.py DATA.json OUT.json --dropout 0 --epochs 11 [--minutes M] [--d-model 128 --ff 512]

With --minutes, the run's length is fixed after 200 steps to what fits in M minutes (at most
--epochs epochs), so the schedule still ends annealed.
"""
import argparse
import json
import math
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument('data')
p.add_argument('out')
p.add_argument('--dropout', type=float, default=0.1)
p.add_argument('--epochs', type=int, default=11)
p.add_argument('--minutes', type=float, default=None)
p.add_argument('--seed', type=int, default=0)
p.add_argument('--d-model', type=int, default=128)
p.add_argument('--ff', type=int, default=512)
args = p.parse_args()

torch.manual_seed(args.seed)
random.seed(args.seed)
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
data = json.load(open(args.data))
src_id = {t: i for i, t in enumerate(data['srcVocab'])}
tgt_id = {t: i for i, t in enumerate(data['tgtVocab'])}
PAD, SOS, EOS, UNK = 0, 1, 2, 3
D, H, LAYERS, FF, BATCH, LR, WARMUP = args.d_model, 4, 3, args.ff, 128, 1.5e-3, 800


def enc_src(word):
    return [src_id.get(c, UNK) for c in word]


def enc_tgt(pron):
    return [SOS] + [tgt_id.get(t, UNK) for t in pron.split(' ')] + [EOS]


train = [(enc_src(s), enc_tgt(t)) for s, t in data['train']]


class Model(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.transformer = nn.Transformer(D, H, LAYERS, LAYERS, FF, dropout=dropout, batch_first=True)
        self.generator = nn.Linear(D, len(data['tgtVocab']))
        self.src_tok_emb = nn.Embedding(len(data['srcVocab']), D, padding_idx=PAD)
        self.tgt_tok_emb = nn.Embedding(len(data['tgtVocab']), D, padding_idx=PAD)
        for emb in (self.src_tok_emb, self.tgt_tok_emb):
            nn.init.normal_(emb.weight, 0, D ** -0.5)
            with torch.no_grad():
                emb.weight[PAD].zero_()
        pos = torch.arange(64).unsqueeze(1)
        i2 = torch.arange(0, D, 2)
        pe = torch.zeros(64, D)
        pe[:, 0::2] = torch.sin(pos / 10000 ** (i2 / D))
        pe[:, 1::2] = torch.cos(pos / 10000 ** (i2 / D))
        self.register_buffer('pe', pe, persistent=False)
        self.drop = nn.Dropout(dropout)

    def embed(self, emb, ids):
        return self.drop(emb(ids) * math.sqrt(D) + self.pe[: ids.shape[1]])

    def encode(self, src):
        pad = src == PAD
        return self.transformer.encoder(self.embed(self.src_tok_emb, src), src_key_padding_mask=pad), pad

    def decode(self, tgt, memory, src_pad):
        T = tgt.shape[1]
        mask = torch.triu(torch.full((T, T), float('-inf'), device=tgt.device), 1)
        out = self.transformer.decoder(self.embed(self.tgt_tok_emb, tgt), memory, tgt_mask=mask,
                                       tgt_key_padding_mask=tgt == PAD, memory_key_padding_mask=src_pad)
        return self.generator(out)

    def forward(self, src, tgt):
        memory, pad = self.encode(src)
        return self.decode(tgt, memory, pad)


def pad_batch(seqs):
    width = max(len(s) for s in seqs)
    return torch.tensor([s + [PAD] * (width - len(s)) for s in seqs], device=dev)


def epoch_batches(epoch):
    """Batches of similar source and target lengths, in a shuffled order (the recipe's bucketing)."""
    rng = random.Random(args.seed * 1000 + epoch)
    order = sorted(range(len(train)), key=lambda i: (len(train[i][0]) * 256 + len(train[i][1]), rng.random()))
    batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
    rng.shuffle(batches)
    return batches


model = Model(args.dropout).to(dev)
opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.01)
per_epoch = math.ceil(len(train) / BATCH)
total = args.epochs * per_epoch


def lr_at(step):  # 1-based, as qkv's cosineWithWarmup with minFactor 0.1
    if step <= WARMUP:
        return LR * step / WARMUP
    progress = min(1.0, (step - WARMUP) / max(1, total - WARMUP))
    return LR * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


start = time.time()
step = 0
losses = []
done = False
for epoch in range(args.epochs):
    model.train()
    for batch in epoch_batches(epoch):
        src = pad_batch([train[i][0] for i in batch])
        tgt = pad_batch([train[i][1] for i in batch])
        logits = model(src, tgt[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1), ignore_index=PAD, label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        step += 1
        for g in opt.param_groups:
            g['lr'] = lr_at(step)
        opt.step()
        losses.append(loss.item())
        if step == 200 and args.minutes is not None:
            per_step = (time.time() - start) / 200
            total = min(total, int(args.minutes * 60 / per_step))
            print(f'{per_step * 1000:.1f} ms/step: {total} steps ({total / per_epoch:.1f} epochs)', flush=True)
        if step % 1000 == 0:
            print(f'step {step} epoch {epoch} loss {sum(losses[-200:]) / 200:.4f} lr {lr_at(step):.2e} {time.time() - start:.0f} s', flush=True)
        if step >= total:
            done = True
            break
    if done:
        break

model.eval()
predictions = []
with torch.no_grad():
    test = data['test']
    for i in range(0, len(test), 1024):
        words = [w for w, _ in test[i:i + 1024]]
        src = pad_batch([enc_src(w) for w in words])
        memory, pad = model.encode(src)
        ys = torch.full((len(words), 1), SOS, device=dev)
        finished = torch.zeros(len(words), dtype=torch.bool, device=dev)
        for _ in range(32):
            nxt = model.decode(ys, memory, pad)[:, -1].argmax(-1)
            nxt = torch.where(finished, torch.full_like(nxt, PAD), nxt)
            ys = torch.cat([ys, nxt[:, None]], 1)
            finished |= nxt == EOS
            if finished.all():
                break
        for row in ys[:, 1:].tolist():
            toks = []
            for t in row:
                if t in (EOS, PAD):
                    break
                toks.append(data['tgtVocab'][t])
            predictions.append(' '.join(toks))
json.dump({'d_model': D, 'ff': FF, 'dropout': args.dropout, 'epochs_planned': args.epochs, 'steps': step, 'epochs': step / per_epoch,
           'seconds': time.time() - start, 'final_loss': sum(losses[-200:]) / 200, 'device': dev,
           'torch': torch.__version__, 'predictions': predictions}, open(args.out, 'w'))
print(f'done: {step} steps in {time.time() - start:.0f} s, final loss {sum(losses[-200:]) / 200:.4f}', flush=True)
