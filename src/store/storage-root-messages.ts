// The stderr lines about storage roots: upstream's own texts, plus our one-line hints that say
// what to change (printed where byte compatibility allows; the caller decides).
import { concatBytes, normalizeDirPrefix, toBytes } from './byte-text.js';

/** Upstream's warning for an ignored second entry on an already seen device (no newline). */
export function formatDuplicateEntry(name: Buffer): Buffer {
  return concatBytes("Duplicate hash-dir entry '", name, "' found");
}

/** Upstream's fatal line when the hash dir has no usable entry at all (no newline). */
export function formatNoRootMessage(hashDir: string | Buffer): Buffer {
  return concatBytes("Could not find a place for the hashified files at '", hashDir, "'.");
}

// Names of the first two fan-out levels vhashify creates inside a storage root.
function isDigestDirName(name: Buffer): boolean {
  return name.length === 2 && /^[0-9a-f]{2}$/.test(name.toString('latin1'));
}

/**
 * One line explaining duplicate entries (spec 5.5): digest-style names such as `00` mean the
 * hash dir is itself a storage root; other names mean two entries lead to one file system.
 */
export function formatDuplicateHint(hashDir: string | Buffer, duplicates: readonly Buffer[] = []): Buffer {
  const digestDir = duplicates.find(isDigestDirName);
  if (digestDir !== undefined) {
    return concatBytes(
      "hint: '", hashDir, "' holds digest directories such as '", digestDir,
      "', so it is (or leads to) a storage root; the hash dir must hold only method, blocks,",
      ' blocksize and one entry per file system (e.g. root -> /vservers/.hash), with the',
      ' xx/yy/ directories below that entry',
    );
  }
  return concatBytes(
    "hint: only the first entry per file system in '", hashDir,
    "' is used; remove the other entries or point each one at a directory on another file system",
  );
}

/** One line saying how to give a hash dir without any storage root its first entry. */
export function formatNoRootHint(hashDir: string | Buffer): Buffer {
  const dir = normalizeDirPrefix(toBytes(hashDir));
  return concatBytes(
    "hint: give '", hashDir, "' one entry per file system that holds guests, a directory or a",
    " symlink to one, e.g. ln -s /vservers/.hash '", dir, "/root'",
  );
}
