// Paths quoted for a command line the admin can paste (hints such as `mkdir -p '…'`).

// Bytes that never need quoting in a POSIX shell word.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** The path as one shell word: unchanged when safe, else in single quotes (`'` as `'\''`). */
export function quoteShellWord(word: Buffer): Buffer {
  const text = word.toString('latin1');
  if (text.length > 0 && SAFE.test(text)) return word;
  return Buffer.from(`'${text.replace(/'/g, "'\\''")}'`, 'latin1');
}
