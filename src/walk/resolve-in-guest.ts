// A guest path as the guest itself would resolve it (its `/` being the guest root): symbolic links
// inside the guest are read and interpreted here, one component at a time relative to open
// directories, so no link can lead outside the root (what openat2's RESOLVE_IN_ROOT does).
import { O_DIRECTORY, O_NOFOLLOW, O_PATH } from '../sys/constants.js';
import { lstatAtIfExists } from '../sys/file-stat.js';
import { readlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';

/** The physical guest path (`/usr/lib/x`, no symlink in it), or why there is none. */
export type GuestPathResolution =
  | { ok: true; path: Buffer; isDirectory: boolean }
  | { ok: false; reason: 'missing' | 'not-directory' | 'loop'; at: Buffer };

/** Linux gives up after this many symbolic links in one lookup (MAXSYMLINKS). */
const MAX_LINKS = 40;
const SLASH = 0x2f;

function splitComponents(path: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i += 1) {
    if (i === path.length || path[i] === SLASH) {
      if (i > start && !(i - start === 1 && path[start] === 0x2e)) parts.push(path.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

function isDotDot(name: Buffer): boolean {
  return name.length === 2 && name[0] === 0x2e && name[1] === 0x2e;
}

function joinPhysical(names: readonly Buffer[]): Buffer {
  if (names.length === 0) return Buffer.from('/');
  return Buffer.concat(names.flatMap((name) => [Buffer.from('/'), name]));
}

/**
 * Resolves `path` (absolute or not, it is taken from the guest root) inside the guest open on
 * `rootFd`, following the guest's symlinks, the last component's too, the way a process chrooted
 * into the guest would, with `..` stopping at the root. Directories are opened O_PATH|O_NOFOLLOW
 * on the way; nothing is read but link targets. A guest that changes its tree meanwhile can only
 * make the answer name another path inside itself.
 */
export function resolveInGuest(rootFd: number, path: Buffer): GuestPathResolution {
  const pending = splitComponents(path);
  const names: Buffer[] = [];
  const fds: number[] = [];
  const top = (): number => (fds.length === 0 ? rootFd : fds[fds.length - 1]!);
  let links = 0;
  try {
    while (pending.length > 0) {
      const name = pending.shift()!;
      if (isDotDot(name)) {
        if (names.length > 0) {
          names.pop();
          closeFd(fds.pop()!);
        }
        continue;
      }
      const at = joinPhysical([...names, name]);
      const st = lstatAtIfExists(top(), name);
      if (st === undefined) return { ok: false, reason: 'missing', at };
      if (st.isSymbolicLink()) {
        links += 1;
        if (links > MAX_LINKS) return { ok: false, reason: 'loop', at };
        const target = readlinkAt(top(), name);
        if (target[0] === SLASH) {
          names.length = 0;
          for (const fd of fds.splice(0)) closeFd(fd);
        }
        pending.unshift(...splitComponents(target));
        continue;
      }
      if (!st.isDirectory()) {
        if (pending.length > 0) return { ok: false, reason: 'not-directory', at };
        names.push(name);
        return { ok: true, path: joinPhysical(names), isDirectory: false };
      }
      fds.push(openAt(top(), name, O_PATH | O_DIRECTORY | O_NOFOLLOW));
      names.push(name);
    }
    return { ok: true, path: joinPhysical(names), isDirectory: true };
  } finally {
    for (const fd of fds) closeFd(fd);
  }
}
