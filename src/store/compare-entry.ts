// Upstream's two relations between a guest file and an existing store entry (spec 6.6).
import type { FileStat } from '../sys/file-stat.js';

/** The stat fields the two relations read (a FileStat, or a Node BigIntStats in tests). */
export type EntryAttributes = Pick<FileStat, 'dev' | 'ino' | 'mode' | 'uid' | 'gid' | 'size' | 'mtimeNs'>;

/** The file already is this entry: same device and inode. */
export function isUnified(file: EntryAttributes, entry: EntryAttributes): boolean {
  return file.dev === entry.dev && file.ino === entry.ino;
}

/** Whole seconds of a modification time, rounded towards minus infinity like st_mtime. */
export function mtimeSeconds(stat: { mtimeNs: bigint }): bigint {
  const ns = stat.mtimeNs;
  const q = ns / 1_000_000_000n;
  return ns < 0n && q * 1_000_000_000n !== ns ? q - 1n : q;
}

/**
 * The file may be linked to this entry: same device, another inode, same mode (type bits included),
 * owner, group, size and (unless mtime is ignored) whole-second mtime. It does NOT compare content:
 * upstream trusts equal digests; callers that want certainty compare bytes themselves.
 */
export function isUnifyable(file: EntryAttributes, entry: EntryAttributes, ignoreMtime: boolean): boolean {
  return (
    file.dev === entry.dev &&
    file.ino !== entry.ino &&
    file.mode === entry.mode &&
    file.uid === entry.uid &&
    file.gid === entry.gid &&
    file.size === entry.size &&
    (ignoreMtime || mtimeSeconds(file) === mtimeSeconds(entry))
  );
}
