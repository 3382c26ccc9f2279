// Core: errors, seeded randomness, splits.
export { DatasetError } from './core/errors.js';
export { Random, shuffle, permutation } from './core/random.js';
export {
  DEFAULT_FRACTIONS,
  splitSizes,
  splitItems,
  splitByKey,
  splitStratified,
  type SplitName,
  type SplitFractions,
  type Splits,
} from './core/split.js';
export type { LoadOptions } from './core/load-options.js';
export { dataPackageDir, type PackageResolver } from './core/package-dir.js';
export type { TextPair } from './core/types.js';
// CMUdict (grapheme-to-phoneme).
export { ARPABET_PHONEMES, ARPABET_VOWELS, isPhoneme, stripStress } from './cmudict/phonemes.js';
export { parseCmudict, isPlainWord, type CmudictEntry, type ParseCmudictOptions } from './cmudict/parse.js';
export { normalizeWord, type NormalizeWordOptions } from './cmudict/word.js';
export { loadCmudict, cmudictFromEntries, CMUDICT_PACKAGE, type Cmudict } from './cmudict/load.js';
export { g2pPairs, g2pReferences, type G2PPairsOptions } from './cmudict/pairs.js';
export { g2pTokenizers, type G2PTokenizers } from './cmudict/tokenizers.js';
// MNIST, SpamAssassin, Brown.
export { loadMnist, parseMnistDigits, selectImages, MNIST_PACKAGE, MNIST_SIZE, type ImageSet, type Mnist } from './mnist/load.js';
export {
  loadSpamAssassin,
  parseSpamRecord,
  messagePart,
  SPAM_ASSASSIN_PACKAGE,
  SPAM_GROUPS,
  type SpamMessage,
  type MessagePart,
} from './spam/load.js';
export { parseBrownCategories, parseBrownFile, brownText, type BrownDocument } from './brown/parse.js';
export { loadBrown, BROWN_PACKAGE } from './brown/load.js';
// Batching.
export { batchOrder, type BatchOrderOptions } from './batching/order.js';
export { padTexts, type PaddedIds, type PadOptions } from './batching/pad.js';
export { seq2seqBatches, type Seq2SeqBatch, type Seq2SeqBatchOptions } from './batching/seq2seq.js';
export { textClassificationBatches, imageBatches, type TextClassificationBatch, type ImageBatch } from './batching/classification.js';
export { languageModelBatches, type LanguageModelBatch } from './batching/language-model.js';
// Synthetic tasks.
export {
  sequenceTask,
  copyTask,
  reverseTask,
  sortTask,
  sequenceTaskTokenizer,
  type SequenceTask,
  type SequenceTaskOptions,
} from './synthetic/sequence-tasks.js';
export { MONTHS, WEEKDAYS, isLeapYear, daysInMonth, dayOfWeek } from './synthetic/calendar.js';
export {
  dateTask,
  dateTaskTokenizers,
  isoDate,
  DATE_FORMATS,
  DATE_SOURCE_ALPHABET,
  DATE_TARGET_ALPHABET,
  type CalendarDate,
  type DateFormat,
  type DateTaskOptions,
} from './synthetic/date-task.js';
// Metrics.
export { editDistance } from './metrics/edit-distance.js';
export { g2pErrorRates, type G2PScores } from './metrics/g2p.js';
export { accuracy, argmaxRows } from './metrics/classification.js';
export { perplexity } from './metrics/perplexity.js';
export { BigramLanguageModel, type LanguageModelScore } from './metrics/bigram.js';
