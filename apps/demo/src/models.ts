// Loading the models the project trained and ships (public/models/<name>/model.safetensors +
// manifest.json): no network beyond this page's own origin.
import { load } from '@qkv/nn';
import { loadTokenizer } from '@qkv/tokenizer';
import type { AnyTokenizer } from '@qkv/tokenizer';
import { Seq2SeqGRU, Seq2SeqTransformer, VisionTransformer } from '@qkv/transformer';
import { keep } from '@qkv/tensor-core';

/** What `qkv export` writes beside the weights. */
export interface Manifest {
  recipe: string;
  model: Record<string, unknown> & { kind: string };
  tokenizers?: { source: unknown; target: unknown };
  metrics?: { test?: Record<string, number> };
  /** How text became ids in training (seq2seq recipes): sources bare, targets wrapped in <sos> … <eos>. */
  encoding?: { source?: { addSpecialTokens?: boolean }; target?: { addSpecialTokens?: boolean } };
  training?: { command?: string; seconds?: number; steps?: number; date?: string };
  weights?: { file: string; dtype: string; bytes: number };
}

/** A loaded seq2seq model with its tokenizers. */
export interface LoadedSeq2Seq {
  manifest: Manifest;
  model: Seq2SeqTransformer | Seq2SeqGRU;
  source: AnyTokenizer;
  target: AnyTokenizer;
}

const cache = new Map<string, Promise<unknown>>();

async function fetchModel(name: string): Promise<{ manifest: Manifest; weights: Uint8Array } | null> {
  const base = new URL(`models/${name}/`, document.baseURI);
  const res = await fetch(new URL('manifest.json', base));
  // a missing model is a 404, or the dev server's index.html fallback
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
  const manifest = (await res.json()) as Manifest;
  const bin = await fetch(new URL(manifest.weights?.file ?? 'model.safetensors', base));
  if (!bin.ok) throw new Error(`models/${name}: manifest found but its weights are missing (${bin.status})`);
  return { manifest, weights: new Uint8Array(await bin.arrayBuffer()) };
}

function build(manifest: Manifest, weights: Uint8Array) {
  const { kind, ...config } = manifest.model;
  const model =
    kind === 'Seq2SeqTransformer'
      ? new Seq2SeqTransformer({ ...(config as unknown as ConstructorParameters<typeof Seq2SeqTransformer>[0]), dropout: 0 })
      : kind === 'Seq2SeqGRU'
        ? new Seq2SeqGRU({ ...(config as unknown as ConstructorParameters<typeof Seq2SeqGRU>[0]), dropout: 0 })
        : kind === 'VisionTransformer'
          ? new VisionTransformer({ ...(config as unknown as ConstructorParameters<typeof VisionTransformer>[0]), dropout: 0 })
          : null;
  if (!model) throw new Error(`unknown model kind '${kind}' in the manifest of ${manifest.recipe}`);
  const { tensors } = load(weights);
  model.loadStateDict(tensors, { strict: true });
  for (const t of Object.values(tensors)) t.dispose();
  for (const p of model.parameters()) keep(p);
  model.eval();
  return model;
}

/** Loads (once) a shipped seq2seq model, or returns null when the app ships none by that name. */
export function loadSeq2Seq(name: string): Promise<LoadedSeq2Seq | null> {
  if (!cache.has(name)) {
    cache.set(
      name,
      fetchModel(name).then((m) => {
        if (!m) return null;
        const model = build(m.manifest, m.weights) as Seq2SeqTransformer | Seq2SeqGRU;
        const t = m.manifest.tokenizers!;
        return { manifest: m.manifest, model, source: loadTokenizer(t.source as object), target: loadTokenizer(t.target as object) };
      }),
    );
  }
  return cache.get(name) as Promise<LoadedSeq2Seq | null>;
}

/** Loads (once) the shipped ViT, or null. */
export function loadVit(name = 'vit-mnist'): Promise<{ manifest: Manifest; model: VisionTransformer } | null> {
  if (!cache.has(name)) {
    cache.set(name, fetchModel(name).then((m) => (m ? { manifest: m.manifest, model: build(m.manifest, m.weights) as VisionTransformer } : null)));
  }
  return cache.get(name) as Promise<{ manifest: Manifest; model: VisionTransformer } | null>;
}
