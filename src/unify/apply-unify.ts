// Applies one planned link: a prepared copy becomes a new entry, or the guest's own inode does, or
// the guest file is linked to an existing entry — each inside the protection policy's window.
import { formatErrno } from '../report/strerror.js';
import type { OpenRoot } from '../store/entry-name.js';
import type { Slot } from '../store/find-slot.js';
import { lstatAt, lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { linkAt, renameAt2, unlinkAt } from '../sys/link-ops.js';
import type { DirHandle } from '../walk/dir-handle.js';
import { compareWithEntry } from './compare-content.js';
import type { EntryRef, ProtectedLink, Protection } from './protection.js';
import { replaceWithLink, type NameAt, type ReplaceOutcome } from './replace-with-link.js';

/** Copy mode (default, `--insecure`) or in-place mode (`--sledgehammer`), spec 8.1. */
export type UnifyMode = 'copy' | 'in-place';

/** One guest file and the store slot it goes to. */
export interface UnifyRequest {
  dir: DirHandle;
  name: Buffer;
  /** The guest file as lstat saw it during the walk. */
  stat: FileStat;
  /** Guest path, for messages. */
  path: Buffer;
  root: OpenRoot;
  slot: ({ kind: 'new' } & Slot) | ({ kind: 'existing'; stat: FileStat } & Slot);
  mode: UnifyMode;
  protection: Protection;
  /**
   * Copy mode, new slot: the copy (a name relative to the root), already on disk. It is consumed
   * whatever happens: renamed into the slot, or removed.
   */
  preparedCopy?: Buffer;
  /** A hashing thread found the bytes equal to the existing entry's, and the entry is unchanged since. */
  contentVerified?: boolean;
}

/**
 * The entry the guest file now is; or the stderr lines of what went wrong (nothing was lost).
 * `nextSlot`: this slot cannot take the file (as many links as the file system allows, or an entry
 * with extended attributes the file lacks): try the next counter. `protectionFailed`: a protection
 * the run claims could not be applied (the file stays private; exit status 1). `fatal`: an entry
 * shared before is left without its protection: the run must stop at once.
 */
export type UnifyResult =
  | { ok: true; entryStat: FileStat }
  | { ok: false; messages: Array<string | Buffer>; nextSlot?: boolean; protectionFailed?: boolean; fatal?: boolean };

/** Runs the procedure of spec 8.2, 8.3 or 8.4 for one file. */
export function applyUnify(req: UnifyRequest): UnifyResult {
  if (req.slot.kind === 'existing') return linkToExisting(req);
  return req.mode === 'copy' ? copyIntoNewEntry(req) : linkInPlace(req);
}

function entryRef(req: UnifyRequest): EntryRef {
  return { dirFd: req.root.fd, name: req.slot.name, path: req.slot.path };
}

function linkToExisting(req: UnifyRequest): UnifyResult {
  const entry = entryRef(req);
  // A change of the guest file since is caught by the identity check right before the swap.
  const verdict = req.contentVerified === true ? 'same' : compareWithEntry({ dirFd: req.dir.fd, name: req.name }, req.stat, entry);
  if (verdict === 'changed') return failed(req, { ok: false, changed: true, message: '' });
  if (verdict === 'entry-xattrs') return { ok: false, messages: [], nextSlot: true };
  if (verdict === 'different') {
    return {
      ok: false,
      messages: [Buffer.concat([Buffer.from("vhashify: '"), req.path, Buffer.from(`' has the digest of '${entry.path}' but other content (a digest collision, or the entry was changed in place); left alone\n`)])],
    };
  }
  const linked = req.protection.linkShared(entry, false, () => replaceGuest(req));
  if (linked.kind === 'not-linked' && linked.outcome.ok === false && linked.outcome.code === 'EMLINK') {
    // IMPROVEMENT over QUIRK Q29 (upstream fails every further identical file): try the next counter.
    return { ok: false, messages: [], nextSlot: true };
  }
  return finishLink(req, linked, () => undefined);
}

function copyIntoNewEntry(req: UnifyRequest): UnifyResult {
  const copy = req.preparedCopy;
  if (copy === undefined) throw new Error('copy mode needs the copy made before the commit');
  try {
    // Over the empty placeholder, when the slot was claimed with one.
    renameAt2(req.root.fd, copy, req.root.fd, req.slot.name);
  } catch (error) {
    removeQuietly(req.root.fd, copy);
    removeQuietly(req.root.fd, req.slot.name);
    return { ok: false, messages: [`rename(): ${formatErrno(error)}\n`] };
  }
  const linked = req.protection.linkShared(entryRef(req), true, () => replaceGuest(req));
  // Whatever did not end with the guest sharing it goes again; the guest keeps (or got) a private copy.
  return finishLink(req, linked, () => removeQuietly(req.root.fd, req.slot.name));
}

/** The guest's own inode becomes the entry: no copy, and the guest name is untouched. */
function linkInPlace(req: UnifyRequest): UnifyResult {
  const guest: NameAt = { dirFd: req.dir.fd, name: req.name };
  // Upstream sets the attributes on the guest's inode itself, before it is linked into the store.
  const linked = req.protection.linkShared({ ...guest, path: req.slot.path }, true, () => linkNewEntry(req, guest));
  return finishLink(req, linked, () => removeQuietly(req.root.fd, req.slot.name));
}

/**
 * Over a placeholder (the slot was claimed) the link is made beside it and renamed over it; into a
 * free slot (the store lock is held) it is linked directly, which fails rather than replace
 * anything that appeared there. link() never follows a symlink: a guest that swapped its file for
 * one got a link to its own symlink into the store, which is taken out again.
 */
function linkNewEntry(req: UnifyRequest, guest: NameAt): ReplaceOutcome {
  const slot: NameAt = { dirFd: req.root.fd, name: req.slot.name };
  let outcome: ReplaceOutcome;
  if (lstatAtIfExists(slot.dirFd, slot.name)?.isFile() === true) {
    outcome = replaceWithLink({ source: guest, target: slot });
  } else {
    try {
      linkAt(guest.dirFd, guest.name, slot.dirFd, slot.name);
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, changed: false, message: `link(): ${formatErrno(error)}\n`, code: (error as NodeJS.ErrnoException).code };
    }
  }
  if (!outcome.ok) return outcome;
  const entry = lstatAt(slot.dirFd, slot.name);
  if (entry.dev !== req.stat.dev || entry.ino !== req.stat.ino) {
    removeQuietly(slot.dirFd, slot.name);
    return { ok: false, changed: true, message: '' };
  }
  return outcome;
}

/** What a protected link ended as; `undo` takes a new entry out of the store again. */
function finishLink(req: UnifyRequest, linked: ProtectedLink, undo: () => void): UnifyResult {
  switch (linked.kind) {
    case 'linked':
      // Looked at again: the link (and the flag) moved the entry's ctime, which the inode index records.
      return { ok: true, entryStat: lstatAt(req.root.fd, req.slot.name) };
    case 'not-linked':
      undo();
      return failed(req, linked.outcome);
    case 'refused':
      undo();
      return { ok: false, messages: [linked.message], protectionFailed: linked.failsRun };
    case 'unprotected':
      if (linked.fatal) return { ok: false, messages: [linked.message], protectionFailed: true, fatal: true };
      undo();
      return {
        ok: false,
        messages: [linked.message, Buffer.concat([Buffer.from("vhashify: '"), req.path, Buffer.from("' stays private: its new store entry was taken out again\n")])],
        protectionFailed: true,
      };
  }
}

function replaceGuest(req: UnifyRequest): ReplaceOutcome {
  return replaceWithLink({ source: { dirFd: req.root.fd, name: req.slot.name }, target: { dirFd: req.dir.fd, name: req.name }, expected: req.stat });
}

function failed(req: UnifyRequest, outcome: ReplaceOutcome): UnifyResult {
  if (outcome.ok) throw new Error('not a failure');
  if (!outcome.changed) return { ok: false, messages: [outcome.message] };
  return {
    ok: false,
    messages: [Buffer.concat([Buffer.from("vhashify: '"), req.path, Buffer.from("' changed while it was being hashified; it was left alone\n")])],
  };
}

function removeQuietly(dirFd: number, name: Buffer): void {
  try {
    unlinkAt(dirFd, name);
  } catch {
    // already gone
  }
}
