// A crash between our link and rename leaves `X;XXXXXX` beside `X`: an extra link to a store entry.
// The next run meets it in the walk, recognises it as ours and removes it.
import { isUnifyable } from '../store/compare-entry.js';
import { lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { unlinkAt } from '../sys/link-ops.js';
import { compareWithEntry } from '../unify/compare-content.js';
import { isTempName, NAME_MAX } from '../unify/temp-name.js';
import { readEntries, type DirHandle } from '../walk/dir-handle.js';

/** The walked entry the sweep looks at: a file already found to be a store entry. */
export interface SweepCandidate {
  dir: DirHandle;
  name: Buffer;
  stat: FileStat;
}

/**
 * True when `name;XXXXXX` was removed as our leftover: the name is a store entry and `X` (its
 * owner) exists and is the same inode, or (killed before the rename) holds the same bytes with the
 * same attributes. Upstream leaves its own temporaries forever; theirs hold the original file and
 * are never store entries, so they stay. A guest's own `X;XXXXXX` with other content stays too.
 */
export function sweepLeftover(item: SweepCandidate, ignoreMtime: boolean): boolean {
  if (!isTempName(item.name)) return false;
  const base = item.name.subarray(0, item.name.length - 7);
  try {
    // A temporary as long as NAME_MAX may carry a cut name (computeTempBase): its owner starts with the cut.
    const owners = item.name.length < NAME_MAX
      ? [base]
      : [base, ...readEntries(item.dir).map((e) => e.name).filter((n) => !n.equals(item.name) && isLongerWithPrefix(n, base))];
    const isOurs = owners.some((owner) => {
      const st = lstatAtIfExists(item.dir.fd, owner);
      return st !== undefined && isRedundantName(item, owner, st, ignoreMtime);
    });
    if (!isOurs) return false;
    unlinkAt(item.dir.fd, item.name);
  } catch {
    return false;
  }
  return true;
}

function isLongerWithPrefix(name: Buffer, prefix: Buffer): boolean {
  return name.length > prefix.length && name.subarray(0, prefix.length).equals(prefix);
}

/** Our leftover is a second name for what its owner is, or was about to become. */
function isRedundantName(temp: SweepCandidate, owner: Buffer, ownerStat: FileStat, ignoreMtime: boolean): boolean {
  if (!ownerStat.isFile()) return false;
  if (ownerStat.dev === temp.stat.dev && ownerStat.ino === temp.stat.ino) return true;
  return isUnifyable(ownerStat, temp.stat, ignoreMtime)
    && compareWithEntry({ dirFd: temp.dir.fd, name: owner }, ownerStat, { dirFd: temp.dir.fd, name: temp.name }) === 'same';
}
