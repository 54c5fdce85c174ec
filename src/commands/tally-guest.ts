// One guest as `--overview` sees it: the files a run would look at, and which of them already are
// store entries (an inventory lookup by inode number: no content is read, no store name stat()ed).
import type { MatchList } from '../exclude/match-list.js';
import type { GuestFigures } from '../report/guest-figures.js';
import { SharingTally } from '../report/sharing-tally.js';
import type { StoreInventory } from '../store/store-inventory.js';
import { STATX_ATTR_IMMUTABLE } from '../sys/constants.js';
import { MIN_HASHED_SIZE } from '../walk/classify-entry.js';
import { releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { ROOT_GUEST_PATH } from '../walk/guest-path.js';
import { walkTree } from '../walk/walk-tree.js';

/** A storage root's device and what it holds. */
export interface InventoriedRoot {
  dev: bigint;
  inventory: StoreInventory;
}

/** Walks the guest as a run would (same match list, same order) and counts; `flagged`: the policy flags shared entries. */
export function tallyGuest(root: DirHandle, matchList: MatchList, roots: readonly InventoriedRoot[], flagged: boolean): GuestFigures {
  const figures: GuestFigures = {
    eligible: 0, eligibleBytes: 0n, linked: 0, linkedBytes: 0n, noStorageRoot: 0, unprotectedEntries: 0, failedDirs: 0,
    sharing: { files: 0, inodes: 0, savedBytes: 0n, pageCacheSharedBytes: 0n },
  };
  const tally = new SharingTally();
  const unprotected = new Set<string>();
  for (const item of walkTree(root, ROOT_GUEST_PATH, (path) => matchList.decide(path))) {
    if (item.kind === 'dir-failed') figures.failedDirs += 1;
    if (item.kind !== 'entry') continue;
    releaseDir(item.dir);
    const { stat } = item;
    if (!stat.isFile() || stat.size < MIN_HASHED_SIZE) continue;
    figures.eligible += 1;
    figures.eligibleBytes += stat.size;
    tally.addFile(stat);
    const storeRoot = roots.find((r) => r.dev === stat.dev);
    if (storeRoot === undefined) {
      figures.noStorageRoot += 1;
      continue;
    }
    if (stat.nlink < 2n || storeRoot.inventory.namesOf(stat.ino) === undefined) continue;
    figures.linked += 1;
    figures.linkedBytes += stat.size;
    if (flagged && (stat.attributes & STATX_ATTR_IMMUTABLE) === 0) unprotected.add(`${stat.dev}:${stat.ino}`);
  }
  figures.sharing = tally.read();
  figures.unprotectedEntries = unprotected.size;
  return figures;
}
