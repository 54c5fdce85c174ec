// Character classes of the C locale, the only locale upstream vhashify ever matches in.

type ByteTest = (byte: number) => boolean;

const isDigit: ByteTest = (b) => b >= 0x30 && b <= 0x39;
const isUpper: ByteTest = (b) => b >= 0x41 && b <= 0x5a;
const isLower: ByteTest = (b) => b >= 0x61 && b <= 0x7a;
const isAlpha: ByteTest = (b) => isUpper(b) || isLower(b);
const isAlnum: ByteTest = (b) => isAlpha(b) || isDigit(b);
const isGraph: ByteTest = (b) => b >= 0x21 && b <= 0x7e;

// Bytes >= 0x80 belong to no class: the C locale is 7-bit.
const classes: ReadonlyMap<string, ByteTest> = new Map<string, ByteTest>([
  ['alnum', isAlnum],
  ['alpha', isAlpha],
  ['blank', (b) => b === 0x20 || b === 0x09],
  ['cntrl', (b) => b < 0x20 || b === 0x7f],
  ['digit', isDigit],
  ['graph', isGraph],
  ['lower', isLower],
  ['print', (b) => b >= 0x20 && b <= 0x7e],
  ['punct', (b) => isGraph(b) && !isAlnum(b)],
  ['space', (b) => b === 0x20 || (b >= 0x09 && b <= 0x0d)],
  ['upper', isUpper],
  ['xdigit', (b) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)],
]);

/** The membership test of a `[:name:]` class in the C locale, or undefined for an unknown name. */
export function findCLocaleClass(name: string): ByteTest | undefined {
  return classes.get(name);
}
