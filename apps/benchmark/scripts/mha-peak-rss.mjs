// Peak RSS of MultiheadAttention forward + backward (B 1, E 512, 8 heads, needWeights false, as the
// mha suite's qkv runner) on wasm, alone in a fresh process: the suite's own peak covers every
// system it runs, TensorFlow.js included. Run in apps/benchmark after `pnpm build`:
//   node scripts/mha-peak-rss.mjs [L = 1024] [threads = 1]
import { MultiheadAttention } from '@qkv/attention';
import { randn, setBackend, tidy } from '@qkv/tensor-core';
import { setThreads } from '@qkv/wasm-kernels';

const L = Number(process.argv[2] ?? 1024);
const threads = Number(process.argv[3] ?? 1);
await setBackend('wasm');
await setThreads(threads);
const mha = new MultiheadAttention(512, 8, { batchFirst: true });
const x = randn([1, L, 512], { requiresGrad: true });
const setup = process.resourceUsage().maxRSS;
for (let i = 0; i < 3; i++) {
  tidy(() => {
    const [y] = mha.forward(x, x, x, { needWeights: false });
    y.sum().backward();
  });
}
const mb = (kb) => (kb / 1024).toFixed(0);
console.log(`MHA forward + backward, L = ${L}, ${threads} thread(s): peak RSS ${mb(process.resourceUsage().maxRSS)} MB (${mb(setup)} MB before the first pass)`);
process.exit(0);
