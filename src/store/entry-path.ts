// Pure naming of store entries: digest → `xx/yy/rest`, collision counter → `-NNNNNNNN`, and the
// candidate path below a storage root. No file system access here.
//
// Roots may be given as a string (the usual case; concatenated as text) or as a Buffer (exact
// bytes of a root whose path is not valid UTF-8); the result has the same type as the root.

const maxCounter = 0xffffffff;

function validateCounter(counter: number): void {
  if (!Number.isInteger(counter) || counter < 0 || counter > maxCounter) {
    throw new RangeError(`collision counter out of range: ${counter}`);
  }
}

/**
 * The entry name part derived from the digest: lower-case hex with a `/` after the first and
 * after the second byte (`23/50/ccae…958f`).
 */
export function formatDigestPath(digest: Buffer): string {
  // Upstream's formatter would cut digests longer than 47 bytes; digests are at most 32 bytes
  // (256 bits, enforced when the `method` file is read), so the cut can never apply.
  if (digest.length < 3) throw new RangeError(`digest too short: ${digest.length} bytes`);
  const hex = digest.toString('hex');
  return `${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}`;
}

/** The collision counter suffix: `-` and 8 zero-padded lower-case hex digits (`-0000000a`). */
export function formatCounterSuffix(counter: number): string {
  validateCounter(counter);
  return `-${counter.toString(16).padStart(8, '0')}`;
}

// QUIRK Q24: the dry-run `lstat('…')` and the `open("…")` placeholder messages print the
// counter unpadded (and upstream may append junk bytes from an unterminated buffer; we do not).
/** The counter as upstream prints it in the `lstat('<n>')` / `open("<n>")` messages. */
export function formatCounterUnpadded(counter: number): string {
  validateCounter(counter);
  return counter.toString(16);
}

function joinRoot(rootPath: string | Buffer, rest: string): string | Buffer {
  return typeof rootPath === 'string'
    ? rootPath + rest
    : Buffer.concat([rootPath, Buffer.from(rest, 'latin1')]);
}

/** The candidate entry path `<root>xx/yy/rest-NNNNNNNN`; the root path already ends in `/`. */
export function formatEntryPath(rootPath: string, digest: Buffer, counter: number): string;
export function formatEntryPath(rootPath: Buffer, digest: Buffer, counter: number): Buffer;
export function formatEntryPath(rootPath: string | Buffer, digest: Buffer, counter: number): string | Buffer;
export function formatEntryPath(rootPath: string | Buffer, digest: Buffer, counter: number): string | Buffer {
  return joinRoot(rootPath, formatDigestPath(digest) + formatCounterSuffix(counter));
}

/**
 * The candidate path without its `-NNNNNNNN` suffix, as printed in the
 * `mkdir("<path>"): <error>` message when the entry's parent directories cannot be created.
 */
export function formatDirOfEntry(rootPath: string, digest: Buffer): string;
export function formatDirOfEntry(rootPath: Buffer, digest: Buffer): Buffer;
export function formatDirOfEntry(rootPath: string | Buffer, digest: Buffer): string | Buffer;
export function formatDirOfEntry(rootPath: string | Buffer, digest: Buffer): string | Buffer {
  return joinRoot(rootPath, formatDigestPath(digest));
}
