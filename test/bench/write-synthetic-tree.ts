// Materialises synthetic guests on disk: content, owner, mode (after chown, which clears set-id bits) and mtime.
import { closeSync, fchmodSync, fchownSync, futimesSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { createContent } from './synthetic-content.js';
import type { SyntheticEntry } from './synthetic-tree.js';

/** What was written. */
export interface WrittenTree {
  files: number;
  symlinks: number;
  bytes: number;
}

/** Writes the entries below `guestRoots[entry.guest]`; the roots must be empty or absent. */
export function writeSyntheticGuests(entries: Iterable<SyntheticEntry>, guestRoots: readonly string[]): WrittenTree {
  const made = new Set<string>();
  const roots = guestRoots.map((root) => Buffer.from(root.replace(/\/+$/, '')));
  const written: WrittenTree = { files: 0, symlinks: 0, bytes: 0 };
  for (const entry of entries) {
    const root = roots[entry.guest];
    if (root === undefined) throw new RangeError(`no root for guest ${entry.guest}`);
    const full = Buffer.concat([root, entry.path]);
    createParent(full, root.length, made);
    if (entry.kind === 'symlink') {
      symlinkSync(entry.target ?? Buffer.from('.'), full);
      written.symlinks += 1;
      continue;
    }
    const fd = openSync(full, 'wx', 0o600);
    try {
      const content = createContent(entry.contentSeed, entry.size);
      if (content.length > 0) writeSync(fd, content);
      fchownSync(fd, entry.uid, entry.gid);
      fchmodSync(fd, entry.mode);
      futimesSync(fd, entry.mtime, entry.mtime);
    } finally {
      closeSync(fd);
    }
    written.files += 1;
    written.bytes += entry.size;
  }
  return written;
}

function createParent(full: Buffer, rootLength: number, made: Set<string>): void {
  const slash = full.lastIndexOf(0x2f);
  if (slash < rootLength) return;
  const parent = full.subarray(0, slash);
  const key = parent.toString('latin1');
  if (made.has(key)) return;
  mkdirSync(parent, { recursive: true, mode: 0o755 });
  made.add(key);
}
