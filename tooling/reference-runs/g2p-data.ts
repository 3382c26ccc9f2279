// Writes the g2p-transformer recipe's exact data (CMUdict split by word with seed 0, stressless
// targets, both tokenizers' vocabularies) as JSON for g2p_transformer_pytorch.py. See README.md.
import { writeFileSync } from 'node:fs';
import { g2pTask } from '../../apps/cli/src/recipes/g2p-data.js';

const task = await g2pTask(0, false);
const vocab = (t: { vocabSize: number; idToToken(id: number): string | undefined }) => Array.from({ length: t.vocabSize }, (_, i) => t.idToToken(i));
writeFileSync(
  process.argv[2]!,
  JSON.stringify({
    train: task.train.map((p) => [p.source, p.target]),
    test: task.evalItems('test').map((e) => [e.source, e.targets]),
    srcVocab: vocab(task.tokenizers.source),
    tgtVocab: vocab(task.tokenizers.target),
  }),
);
