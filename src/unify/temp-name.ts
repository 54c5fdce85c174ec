// Temporary names beside a target, in upstream's `name;XXXXXX` form so leftovers are recognisable.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `;` plus six random characters from [A-Za-z0-9], as mkstemp would make them. Uniqueness comes from
 * the exclusive creation that follows (callers retry on EEXIST), so a fast PRNG is enough.
 */
export function computeTempSuffix(): Buffer {
  let out = ';';
  for (let i = 0; i < 6; i += 1) out += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return Buffer.from(out);
}

/** The longest name Linux file systems accept (NAME_MAX). */
export const NAME_MAX = 255;

/**
 * What a temporary beside `name` starts with: the whole name, or only its first 248 bytes when
 * `name;XXXXXX` would be longer than NAME_MAX (upstream's mkstemp fails there, and the file is never
 * unified). The sweep looks for such a cut name's owner among the longer names that start with it.
 */
export function computeTempBase(name: Buffer): Buffer {
  return name.length + 7 > NAME_MAX ? name.subarray(0, NAME_MAX - 7) : name;
}

/** True for a name this tool (or upstream) made as a temporary: `<name>;XXXXXX`. */
export function isTempName(name: Buffer): boolean {
  if (name.length < 8 || name[name.length - 7] !== 0x3b) return false;
  for (let i = name.length - 6; i < name.length; i += 1) {
    const c = name[i]!;
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum) return false;
  }
  return true;
}
