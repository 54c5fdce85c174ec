// The storage roots of a hash dir: one directory (or symlink to one) per file system, found in
// raw readdir order; the first one per device wins (spec 5.4).
import { type BigIntStats, type Dirent, accessSync, constants, opendirSync, statSync } from 'node:fs';
import { formatErrno } from '../report/strerror.js';
import { concatBytes, normalizeDirPrefix, toBytes } from './byte-text.js';
import { formatNoRootMessage } from './storage-root-messages.js';

// The messages about storage roots, re-exported so that callers need one import.
export {
  formatDuplicateEntry,
  formatDuplicateHint,
  formatNoRootMessage,
  formatNoRootHint,
} from './storage-root-messages.js';

/**
 * One storage root. `pathBytes` is the exact root path (hash dir without trailing `/`, `/`,
 * entry name, `/`): use it for I/O. `path` is the path upstream prints (from the hash dir as
 * upstream has it), decoded as UTF-8: exact whenever the names are valid UTF-8.
 */
export interface StorageRoot {
  dev: bigint;
  path: string;
  pathBytes: Buffer;
  name: Buffer;
}

/** Roots found (plus entries ignored as duplicates), or the fatal stderr line and why. */
export type StorageRootsResult =
  | { roots: StorageRoot[]; duplicates: Buffer[] }
  | { error: Buffer; reason: 'no-storage-root' | 'unreadable-hash-dir' };

// QUIRK Q20 (not reproduced): upstream compares devices through a difference truncated to a C
// int, so devices that differ by a multiple of 2^32 would be taken as one. Reproducing it could
// only turn a real second file system into a spurious duplicate; we compare the full st_dev.
/** Whether two st_dev values are the same device (what decides a file's storage root). */
export function isSameDevice(a: bigint, b: bigint): boolean {
  return a === b;
}

function isDotEntry(name: Buffer): boolean {
  return name.equals(Buffer.from('.')) || name.equals(Buffer.from('..'));
}

// Raw readdir order, which decides the winner: readdirSync would sort the names.
function readRawEntryNames(dir: Buffer): Buffer[] {
  const handle = opendirSync(dir, { encoding: 'buffer' as BufferEncoding, bufferSize: 128 });
  const names: Buffer[] = [];
  try {
    for (;;) {
      let entry: Dirent | null;
      try {
        entry = handle.readSync();
      } catch {
        break; // upstream's loop also ends silently on a readdir() error
      }
      if (entry === null) break;
      names.push(entry.name as unknown as Buffer);
    }
  } finally {
    handle.closeSync();
  }
  return names;
}

// Upstream chdir()s into the hash dir and then opendir()s it; report the same failing call.
function validateHashDirAccess(dir: Buffer): Buffer | undefined {
  try {
    if (!statSync(dir).isDirectory()) return Buffer.from(`chdir(): ${formatErrno('ENOTDIR')}`);
    accessSync(dir, constants.X_OK);
  } catch (err) {
    return Buffer.from(`chdir(): ${formatErrno(err)}`);
  }
  return undefined;
}

// Entries that cannot be stat()ed (dangling or looping links, …) are skipped silently.
function readStatsOrUndefined(path: Buffer): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Enumerates the storage roots of a hash dir: every entry but `.`/`..` that stat() (following
 * symlinks) shows to be a directory; the first per device is a root, later ones duplicates.
 * `printed`: the hash dir as upstream would print it, when it differs from the path used
 * (a relative per-guest hash dir, spec 5.6): each root's `path` is built from it, its `pathBytes`
 * from the path used.
 */
export function findStorageRoots(hashDir: string | Buffer, printed: string | Buffer = hashDir): StorageRootsResult {
  const dir = toBytes(hashDir);
  const shown = concatBytes(normalizeDirPrefix(toBytes(printed)), '/');
  const accessError = validateHashDirAccess(dir);
  if (accessError !== undefined) return { error: accessError, reason: 'unreadable-hash-dir' };
  let names: Buffer[];
  try {
    names = readRawEntryNames(dir);
  } catch (err) {
    return { error: Buffer.from(`opendir(): ${formatErrno(err)}`), reason: 'unreadable-hash-dir' };
  }
  const prefix = concatBytes(normalizeDirPrefix(dir), '/');
  const roots: StorageRoot[] = [];
  const duplicates: Buffer[] = [];
  for (const name of names) {
    if (isDotEntry(name)) continue;
    const st = readStatsOrUndefined(concatBytes(prefix, name));
    if (st === undefined || !st.isDirectory()) continue;
    if (roots.some((root) => isSameDevice(root.dev, st.dev))) {
      duplicates.push(name);
      continue;
    }
    const pathBytes = concatBytes(prefix, name, '/');
    roots.push({ dev: st.dev, path: concatBytes(shown, name, '/').toString('utf8'), pathBytes, name });
  }
  if (roots.length === 0) return { error: formatNoRootMessage(printed), reason: 'no-storage-root' };
  return { roots, duplicates };
}
