// The hash functions a store's `method` file may name, how upstream spells and looks them up,
// and one incremental digest interface over node:crypto and our own MD2.
import { createHash } from 'node:crypto';
import { Md2 } from './md2.js';

/** Every algorithm upstream's NSS build can look up (sha384/sha512 only to reject them later). */
export type AlgorithmName = 'md2' | 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

// Digest sizes in bits; the store refuses anything above 256 (spec 5.2).
const algorithmBits: Readonly<Record<AlgorithmName, number>> = {
  md2: 128,
  md5: 128,
  sha1: 160,
  sha256: 256,
  sha384: 384,
  sha512: 512,
};

/** The largest digest, in bits, that store entry names can be built from. */
export const maxDigestBits = 256;

// QUIRK Q19: upstream's NSS build means to default to SHA-1 but hands NSS the SHA-1 OID tag (4)
// where a hash-type enumeration is expected, and 4 is SHA-256; so new stores get SHA-256.
/** The algorithm of a store without a `method` file (NSS build behaviour). */
export const defaultAlgorithm: AlgorithmName = 'sha256';

/** What a newly created `method` file contains (the NSS build's name for the default). */
export const defaultMethodFileText = 'sha256\n';

/**
 * Upstream's spelling normalisation: ASCII lower-case (C locale, other bytes unchanged), then
 * every `-` deleted. Bytes map one-to-one to characters (latin1), so nothing is lost.
 */
export function normalizeMethodName(text: Buffer): string {
  let result = '';
  for (const byte of text) {
    if (byte === 0x2d) continue;
    const lower = byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
    result += String.fromCharCode(lower);
  }
  return result;
}

function isAlgorithmName(name: string): name is AlgorithmName {
  return Object.hasOwn(algorithmBits, name);
}

/**
 * The algorithm a `method` file's text names (`SHA-1`, `md-5`, `S-H-A-1` … are accepted;
 * blanks or `\r` are not), or undefined when upstream would say `Can not find hash-function`.
 */
export function findAlgorithm(text: Buffer): { name: AlgorithmName; bits: number } | undefined {
  const name = normalizeMethodName(text);
  if (!isAlgorithmName(name)) return undefined;
  return { name, bits: algorithmBits[name] };
}

/** An incremental digest: feed the attribute header and the content, then take the digest once. */
export interface Digester {
  update(chunk: Buffer): void;
  digest(): Buffer;
}

/** A fresh digest of the given algorithm (node:crypto, or our MD2 which OpenSSL 3 lacks). */
export function createDigester(name: AlgorithmName): Digester {
  if (name === 'md2') return new Md2();
  const hash = createHash(name);
  return {
    update(chunk: Buffer): void {
      hash.update(chunk);
    },
    digest(): Buffer {
      return hash.digest();
    },
  };
}
