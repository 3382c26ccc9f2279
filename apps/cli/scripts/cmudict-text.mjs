// Writes a real text for `qkv finetune` demonstrations: CMUdict entries as lines
// `word  PH ON EH1 M Z` (the first pronunciation), a seeded sample of the training split.
// usage: node scripts/cmudict-text.mjs OUT.txt [count=4000] [seed=0]
import { writeFileSync } from 'node:fs';
import { loadCmudict, shuffle } from '@qkv/datasets';

const [out, count = '4000', seed = '0'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node scripts/cmudict-text.mjs OUT.txt [count=4000] [seed=0]');
  process.exit(2);
}
const n = Number(count);
if (!Number.isInteger(n) || n < 2) {
  console.error(`cmudict-text: count must be an integer ≥ 2, got '${count}'`);
  process.exit(2);
}
const { train } = await loadCmudict({ seed: Number(seed) });
const picked = shuffle(train, Number(seed)).slice(0, n);
writeFileSync(out, picked.map((e) => `${e.word}  ${e.pronunciations[0].join(' ')}`).join('\n') + '\n');
console.log(`wrote ${picked.length} CMUdict lines to ${out}`);
