// The storage root's `.vhashify-tmp`: where copies are written before they are renamed into their
// slot (inside the root, so the rename stays on one file system). It exists only while a run copies.
import { AT_REMOVEDIR, O_DIRECTORY, O_NOFOLLOW, O_RDONLY } from '../sys/constants.js';
import { readDirEntries } from '../sys/dir-entries.js';
import { mkdirAt, unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { isSysError } from '../sys/sys-error.js';

/** The directory's name inside every storage root. */
export const TEMP_DIR_NAME = Buffer.from('.vhashify-tmp');

/** Creates the root's temporary directory (0700); false when it cannot be made (copies then fail as upstream's would). */
export function ensureTempDir(rootFd: number): boolean {
  try {
    mkdirAt(rootFd, TEMP_DIR_NAME, 0o700);
  } catch (error) {
    if (!isSysError(error, 'EEXIST')) return false;
  }
  return true;
}

/** Removes the directory if it is empty; a copy that could not be cleaned is left to the next run's sweep. */
export function removeTempDir(rootFd: number): void {
  try {
    unlinkAt(rootFd, TEMP_DIR_NAME, AT_REMOVEDIR);
  } catch {
    // not empty, or already gone
  }
}

/**
 * Removes what a crashed run left in the directory (only copies belong there; anything else,
 * a directory made by hand say, goes with what it holds), then the directory. Only while the store
 * lock is held: then no other run is writing copies there.
 */
export function sweepTempDir(rootFd: number): void {
  let dirFd: number;
  try {
    dirFd = openAt(rootFd, TEMP_DIR_NAME, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch {
    return;
  }
  try {
    removeContents(dirFd);
  } finally {
    closeFd(dirFd);
  }
  removeTempDir(rootFd);
}

function removeContents(dirFd: number): void {
  for (const { name } of readDirEntries(dirFd)) {
    if (name.equals(Buffer.from('.')) || name.equals(Buffer.from('..'))) continue;
    try {
      unlinkAt(dirFd, name);
      continue;
    } catch (error) {
      if (!isSysError(error, 'EISDIR')) continue; // left for the admin; the directory then stays too
    }
    try {
      const child = openAt(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      try {
        removeContents(child);
      } finally {
        closeFd(child);
      }
      unlinkAt(dirFd, name, AT_REMOVEDIR);
    } catch {
      // left for the admin
    }
  }
}
