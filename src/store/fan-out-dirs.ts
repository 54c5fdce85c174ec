// The `xx` and `xx/yy` directories of a storage root, empty ones included (the inventory lists
// names inside them; a directory with none does not show there).
import { DT_DIR, DT_UNKNOWN, O_DIRECTORY, O_NOFOLLOW, O_RDONLY } from '../sys/constants.js';
import { readDirEntries } from '../sys/dir-entries.js';
import { closeFd, openAt } from '../sys/open-at.js';

const HEX2 = /^[0-9a-f]{2}$/;

/** Every fan-out directory below the root, relative to it: each `xx/yy` before its `xx`. */
export function listFanOutDirs(rootFd: number): Buffer[] {
  const dirs: Buffer[] = [];
  for (const first of listHexDirs(rootFd)) {
    let fd: number;
    try {
      fd = openAt(rootFd, first, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch {
      continue; // not a directory after all (DT_UNKNOWN), or gone
    }
    try {
      for (const second of listHexDirs(fd)) dirs.push(Buffer.concat([first, Buffer.from('/'), second]));
    } finally {
      closeFd(fd);
    }
    dirs.push(first);
  }
  return dirs;
}

function listHexDirs(dirFd: number): Buffer[] {
  return readDirEntries(dirFd)
    .filter((e) => (e.type === DT_DIR || e.type === DT_UNKNOWN) && HEX2.test(e.name.toString('latin1')))
    .map((e) => e.name);
}
