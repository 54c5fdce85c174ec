// Store entries made by hand for the store tests: a file at the name its attributes and content give
// (digest computed here, independently of src/), and guest links to it.
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

/** Mode 0644, owner 0:0, mtime 2009-02-13 (spec 6.5 example A). */
export const ENTRY_META: FileMeta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_234_567_890_000) };

/** `xx/yy/rest-NNNNNNNN` under SHA-256 for a regular file of these attributes (mtime zeroed with `ignoreMtime`). */
export function computeEntryName(content: Buffer, meta: FileMeta, opts: { ignoreMtime?: boolean; counter?: number } = {}): string {
  const header = Buffer.alloc(36);
  header.writeUInt32LE(0o100000 | meta.mode, 0);
  header.writeUInt32LE(meta.uid, 4);
  header.writeUInt32LE(meta.gid, 8);
  header.writeBigUInt64LE(0n, 12);
  header.writeBigInt64LE(BigInt(content.length), 20);
  header.writeBigInt64LE(opts.ignoreMtime === true ? 0n : BigInt(Math.floor(meta.mtime.getTime() / 1000)), 28);
  const hex = createHash('sha256').update(header).update(content).digest('hex');
  return `${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}-${(opts.counter ?? 0).toString(16).padStart(8, '0')}`;
}

/** Writes an entry below `root` at its own name; returns the name. */
export function writeEntry(root: string, content: string | Buffer, meta: FileMeta = ENTRY_META, opts: { ignoreMtime?: boolean; counter?: number } = {}): string {
  const bytes = Buffer.from(content);
  const name = computeEntryName(bytes, meta, opts);
  mkdirSync(dirname(join(root, name)), { recursive: true, mode: 0o700 });
  writeFileWithMeta(join(root, name), bytes, meta);
  return name;
}

/** Links the entry `name` below `root` to each of `paths` (parents created). */
export function linkEntry(root: string, name: string, ...paths: string[]): void {
  for (const path of paths) {
    mkdirSync(dirname(path), { recursive: true });
    linkSync(join(root, name), path);
  }
}
