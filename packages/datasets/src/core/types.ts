/** A source → target text pair for a seq2seq model. */
export interface TextPair {
  source: string;
  target: string;
}
