// Command-line words are bytes (a guest directory name need not be UTF-8). The parser works on
// "byte strings": one character per byte (latin1), so every byte survives parsing and diagnostics
// that quote a word print it exactly.

/** A word as the parser sees it: each byte one character (a string argument is taken as UTF-8 bytes). */
export function toByteString(word: string | Buffer): string {
  return (typeof word === 'string' ? Buffer.from(word, 'utf8') : word).toString('latin1');
}

/** The bytes of a byte string (a positional argument, an option value, a diagnostic). */
export function fromByteString(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** An option value as a path string: the bytes decoded as UTF-8 (what Node's path APIs expect). */
export function decodeByteString(text: string): string {
  return fromByteString(text).toString('utf8');
}
