// Applies one planned link: copy into a new entry, or link the guest's own inode, or link to an entry.
import { linkSync, lstatSync, unlinkSync, type BigIntStats } from 'node:fs';
import { formatErrno } from '../report/strerror.js';
import { childPath, type DirHandle } from '../walk/dir-handle.js';
import { compareWithEntry } from './compare-content.js';
import { copyToStore, type CopyOutcome } from './copy-to-store.js';
import { realFsOps } from './fs-ops.js';
import type { Protection } from './protection.js';
import { replaceWithLink, type ReplaceOutcome } from './replace-with-link.js';

/** Copy mode (default, `--insecure`) or in-place mode (`--sledgehammer`), spec 8.1. */
export type UnifyMode = 'copy' | 'in-place';

/** One guest file and the store slot it goes to. */
export interface UnifyRequest {
  dir: DirHandle;
  name: Buffer;
  /** The guest file as lstat saw it during the walk. */
  stat: BigIntStats;
  slot: { kind: 'new'; path: string } | { kind: 'existing'; path: string; stat: BigIntStats };
  mode: UnifyMode;
  protection: Protection;
  /** Guest path, for messages. */
  path: Buffer;
  /** Where copies are written before they are renamed into place (inside the storage root). */
  tempDir?: string;
  /**
   * A copy a hashing thread already wrote (new slot, copy mode only). It is consumed whatever
   * happens: renamed into the slot, or removed.
   */
  preparedCopy?: Buffer;
  /** A hashing thread found the bytes equal to the existing entry's, and the entry is unchanged since. */
  contentVerified?: boolean;
}

/**
 * The entry the guest file now is, or the stderr lines of what went wrong (nothing was lost).
 * `slotFull`: the entry has the most links its filesystem allows (EMLINK); try the next counter.
 */
export type UnifyResult =
  | { ok: true; entryStat: BigIntStats }
  | { ok: false; messages: Array<string | Buffer>; slotFull?: boolean };

/** Runs the procedure of spec 8.2, 8.3 or 8.4 for one file. */
export function applyUnify(req: UnifyRequest): UnifyResult {
  if (req.slot.kind === 'existing') return linkToExisting(req, req.slot.path);
  return req.mode === 'copy' ? copyIntoNewEntry(req, req.slot.path) : linkInPlace(req, req.slot.path);
}

function linkToExisting(req: UnifyRequest, entry: string): UnifyResult {
  // A change of the guest file since is caught by the identity check right before the swap.
  const verdict = req.contentVerified === true ? 'same' : compareWithEntry(childPath(req.dir, req.name), req.stat, entry);
  if (verdict === 'changed') return failed(req, { ok: false, changed: true, message: '' });
  if (verdict === 'different') {
    return {
      ok: false,
      messages: [Buffer.concat([Buffer.from("vhashify: '"), req.path, Buffer.from(`' has the digest of '${entry}' but other content (a digest collision, or the entry was changed in place); left alone\n`)])],
    };
  }
  const refused = req.protection.beforeLink(entry);
  if (refused !== undefined) return { ok: false, messages: [refused] };
  let outcome = replaceGuest(req, entry);
  let unlocked = false;
  if (!outcome.ok && outcome.message.startsWith('link(): Too many links')) return { ok: false, messages: [], slotFull: true };
  if (!outcome.ok && isPermissionFailure(outcome) && req.protection.unlock(entry)) {
    unlocked = true;
    outcome = replaceGuest(req, entry);
  }
  if (!outcome.ok) {
    // Other guests still share the entry we unlocked for this link: lock it again even though it failed.
    if (unlocked) req.protection.afterLink(entry);
    return failed(req, outcome);
  }
  req.protection.afterLink(entry);
  // Looked at again: the new link moved the entry's ctime, which the inode index records.
  return { ok: true, entryStat: lstatSync(entry, { bigint: true }) };
}

function copyIntoNewEntry(req: UnifyRequest, entry: string): UnifyResult {
  const copied = req.preparedCopy === undefined
    ? copyToStore(childPath(req.dir, req.name), req.stat, entry, undefined, req.tempDir)
    : moveIntoSlot(req.preparedCopy, entry);
  if (!copied.ok) {
    removeEntry(entry);
    if (copied.changed === true) return failed(req, { ok: false, changed: true, message: '' });
    return { ok: false, messages: copied.message === undefined ? [] : [copied.message] };
  }
  const refused = req.protection.beforeLink(entry);
  if (refused !== undefined) {
    removeEntry(entry);
    return { ok: false, messages: [refused] };
  }
  const outcome = replaceGuest(req, entry);
  if (!outcome.ok) {
    removeEntry(entry);
    return failed(req, outcome);
  }
  req.protection.afterLink(entry);
  return { ok: true, entryStat: lstatSync(entry, { bigint: true }) };
}

/** Renames a prepared copy into its slot (over the placeholder, if one was made). */
function moveIntoSlot(copy: Buffer, entry: string): CopyOutcome {
  try {
    realFsOps.rename(copy, entry);
    return { ok: true };
  } catch (error) {
    removeEntry(copy);
    return { ok: false, message: `rename(): ${formatErrno(error)}\n` };
  }
}

/** QUIRK-free sledgehammer: the guest inode itself becomes the entry; no copy, the guest name is untouched. */
function linkInPlace(req: UnifyRequest, entry: string): UnifyResult {
  const source = childPath(req.dir, req.name);
  const refused = req.protection.beforeLink(source.toString('latin1').replace('/proc/self/', `/proc/${process.pid}/`));
  if (refused !== undefined) {
    removeEntry(entry);
    return { ok: false, messages: [refused] };
  }
  const outcome = linkNewEntry(source, entry);
  if (!outcome.ok) {
    removeEntry(entry);
    return failed(req, outcome);
  }
  const entryStat = lstatSync(entry, { bigint: true });
  if (entryStat.dev !== req.stat.dev || entryStat.ino !== req.stat.ino) {
    // link() does not follow symlinks: a guest that swapped the file for one got a link to its own
    // symlink into the store. Take it out again; nothing outside the guest was touched.
    removeEntry(entry);
    return failed(req, { ok: false, changed: true, message: '' });
  }
  req.protection.afterLink(entry);
  return { ok: true, entryStat };
}

/**
 * The guest inode becomes the entry. Over a placeholder (the slot was claimed) the link is made
 * beside it and renamed over it; into a free slot (the store lock is held) it is linked directly,
 * which fails rather than replace anything that appeared there.
 */
function linkNewEntry(source: Buffer, entry: string): ReplaceOutcome {
  let claimed = false;
  try {
    claimed = lstatSync(entry).isFile();
  } catch {
    claimed = false;
  }
  if (claimed) {
    const slash = entry.lastIndexOf('/') + 1;
    return replaceWithLink({ source, dir: Buffer.from(entry.slice(0, slash)), name: Buffer.from(entry.slice(slash)) });
  }
  try {
    linkSync(source, entry);
    return { ok: true };
  } catch (error) {
    return { ok: false, changed: false, message: `link(): ${formatErrno(error)}\n` };
  }
}

function replaceGuest(req: UnifyRequest, entry: string): ReplaceOutcome {
  return replaceWithLink({ source: entry, dir: req.dir.prefix, name: req.name, expected: req.stat });
}

function isPermissionFailure(outcome: ReplaceOutcome): boolean {
  return !outcome.ok && outcome.message.startsWith('link(): Operation not permitted');
}

function failed(req: UnifyRequest, outcome: ReplaceOutcome): UnifyResult {
  if (outcome.ok) throw new Error('not a failure');
  if (!outcome.changed) return { ok: false, messages: [outcome.message] };
  return {
    ok: false,
    messages: [Buffer.concat([Buffer.from("vhashify: '"), req.path, Buffer.from("' changed while it was being hashified; it was left alone\n")])],
  };
}

function removeEntry(entry: string | Buffer): void {
  try {
    unlinkSync(entry);
  } catch {
    // already gone
  }
}
