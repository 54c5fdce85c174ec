// The store entry name of a vectors file under the default method (spec 6.1–6.4), computed on its own, not by the product.
import { createHash } from 'node:crypto';
import type { TreeEntry } from './tree-vectors.js';

/** `hh/hh/rest-NNNNNNNN` for a `file` ENTRY: SHA-256 over the 36-byte little-endian attribute block and the content. */
export function computeSha256EntryName(entry: TreeEntry, counter = 0): string {
  if (entry.type !== 'file') throw new Error(`${entry.path} is a ${entry.type}, not a file`);
  const content = Buffer.from(entry.content_b64 ?? '', 'base64');
  const header = Buffer.alloc(36);
  header.writeUInt32LE(parseInt(entry.mode!, 8), 0);
  header.writeUInt32LE(entry.uid!, 4);
  header.writeUInt32LE(entry.gid!, 8);
  header.writeBigUInt64LE(0n, 12); // st_rdev of a regular file
  header.writeBigInt64LE(BigInt(content.length), 20);
  header.writeBigInt64LE(BigInt(entry.mtime!), 28);
  const hex = createHash('sha256').update(header).update(content).digest('hex');
  return `${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}-${counter.toString(16).padStart(8, '0')}`;
}
