// A new guest's configuration directory copied from another's (`--clone SRC DEST` with names):
// everything but what makes a guest itself (its name, context, host name, network interfaces),
// which is left for the admin and listed; `vdir` points at the new tree, `run` and `cache` at the
// new guest's own places.
import { chownSync, copyFileSync, lchownSync, lstatSync, lutimesSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, chmodSync, utimesSync } from 'node:fs';
import { concatBytes } from '../store/byte-text.js';
import type { InstallationPaths } from './installation.js';
import { isDirectoryPath } from './path-tests.js';

/** Entries of a configuration directory that belong to one guest only (files, or directories and all below). */
export const IDENTITY_ENTRIES = ['name', 'context', 'ncontext', 'uts', 'interfaces'] as const;

/** Symlinks util-vserver points at a place named after the guest (`/var/run/vservers/NAME`). */
const PER_GUEST_LINKS = new Set(['run', 'cache']);
/** Left out without a word: made anew, or state of the source's own run. */
const NOT_COPIED = new Set(['vdir', 'apps/vunify/hold']);

/**
 * Where util-vserver builds new guests: `CONFDIR/.defaults/vdirbase` when it is a directory (a link
 * to one counts), else `__DEFAULT_VSERVERDIR` (util-vserver's `getDefaultVserverDir`).
 */
export function findVdirBase(inst: Pick<InstallationPaths, 'confDir' | 'vserverDir'>): Buffer {
  const vdirbase = concatBytes(inst.confDir, '/.defaults/vdirbase');
  return isDirectoryPath(vdirbase) ? vdirbase : inst.vserverDir;
}

/**
 * Copies `srcCfgdir` to the new `destCfgdir` (which must not exist): directories, files and
 * symlinks with owner, mode and times; symlinks as they are, except `run` and `cache`, whose last
 * component (the source's name) becomes `destName`. Then `vdir` → `newVdir`. Returns the identity
 * entries that were not copied (paths relative to the directory, files below directories listed).
 */
export function copyGuestConfig(srcCfgdir: Buffer, destCfgdir: Buffer, srcName: Buffer, destName: Buffer, newVdir: Buffer): Buffer[] {
  const skipped: Buffer[] = [];
  mkdirSync(destCfgdir, { mode: 0o755 });
  copyDir(srcCfgdir, destCfgdir, '', { srcName, destName, skipped });
  symlinkSync(newVdir, concatBytes(destCfgdir, '/vdir'));
  copyAttributes(srcCfgdir, destCfgdir);
  return skipped;
}

interface CopyContext {
  srcName: Buffer;
  destName: Buffer;
  skipped: Buffer[];
}

function copyDir(src: Buffer, dest: Buffer, prefix: string, ctx: CopyContext): void {
  const names = (readdirSync(src, { encoding: 'buffer' }) as Buffer[]).sort(Buffer.compare);
  for (const name of names) {
    const relative = `${prefix}${name.toString('latin1')}`;
    const from = concatBytes(src, '/', name);
    const to = concatBytes(dest, '/', name);
    if (NOT_COPIED.has(relative)) continue;
    if ((IDENTITY_ENTRIES as readonly string[]).includes(relative)) {
      listBelow(from, Buffer.from(relative, 'latin1'), ctx.skipped);
      continue;
    }
    const st = lstatSync(from);
    if (st.isSymbolicLink()) {
      let target: Buffer = readlinkSync(from, { encoding: 'buffer' });
      if (PER_GUEST_LINKS.has(relative)) target = replaceLastComponent(target, ctx.srcName, ctx.destName);
      symlinkSync(target, to);
      lchownSync(to, st.uid, st.gid);
      lutimesSync(to, st.atime, st.mtime);
    } else if (st.isDirectory()) {
      mkdirSync(to, { mode: 0o700 });
      copyDir(from, to, `${relative}/`, ctx);
      copyAttributes(from, to);
    } else if (st.isFile()) {
      copyFileSync(from, to);
      copyAttributes(from, to);
    }
    // Anything else (a FIFO, a socket) is no configuration.
  }
}

function copyAttributes(from: Buffer, to: Buffer): void {
  const st = lstatSync(from);
  chownSync(to, st.uid, st.gid);
  chmodSync(to, st.mode & 0o7777);
  utimesSync(to, st.atime, st.mtime);
}

function listBelow(path: Buffer, relative: Buffer, into: Buffer[]): void {
  const st = lstatSync(path);
  if (!st.isDirectory()) {
    into.push(relative);
    return;
  }
  const names = (readdirSync(path, { encoding: 'buffer' }) as Buffer[]).sort(Buffer.compare);
  if (names.length === 0) into.push(concatBytes(relative, '/'));
  for (const name of names) listBelow(concatBytes(path, '/', name), concatBytes(relative, '/', name), into);
}

// `/var/run/vservers/g1` → `/var/run/vservers/g2`; a target not ending in the source's name stays.
function replaceLastComponent(target: Buffer, from: Buffer, to: Buffer): Buffer {
  const at = target.lastIndexOf(0x2f);
  const last = target.subarray(at + 1);
  return last.equals(from) ? concatBytes(target.subarray(0, at + 1), to) : target;
}
