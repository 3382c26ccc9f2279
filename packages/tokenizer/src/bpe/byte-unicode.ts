/**
 * GPT-2's reversible byte ↔ printable-character table (`bytes_to_unicode` in openai/gpt-2):
 * printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100…, so a space is `Ġ`.
 */

/** BYTE_TO_CHAR[b] is the one-character string GPT-2 writes for byte b. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** The inverse of {@link BYTE_TO_CHAR}. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((ch, b) => [ch, b]));

function buildByteToChar(): string[] {
  const table: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table.push(String.fromCharCode(printable ? b : next++));
  }
  return table;
}

/**
 * Bytes → the vocabulary spelling. @example bytesToToken([0x20, 0x68, 0x69]) // 'Ġhi'
 */
export function bytesToToken(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_CHAR[bytes[i]!]!;
  return s;
}

/**
 * The vocabulary spelling → bytes, or undefined when a character is outside the table
 * (e.g. an added token like `<|endoftext|>` is fine, `<é>` is not).
 * @example tokenToBytes('Ġhi') // Uint8Array [0x20, 0x68, 0x69]
 */
export function tokenToBytes(token: string): Uint8Array | undefined {
  const bytes = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const b = CHAR_TO_BYTE.get(token[i]!);
    if (b === undefined) return undefined;
    bytes[i] = b;
  }
  return bytes;
}
