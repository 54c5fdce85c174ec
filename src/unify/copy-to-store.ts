// Copies a guest file into a claimed store slot, with owner, mode and times (spec 8.6).
import {
  closeSync, constants, fchmodSync, fchownSync, fstatSync, ftruncateSync, futimesSync, openSync, readSync,
  writeSync, type BigIntStats,
} from 'node:fs';
import { formatErrno } from '../report/strerror.js';
import { realFsOps, type FsOps } from './fs-ops.js';
import { computeTempSuffix } from './temp-name.js';

/**
 * Success, or the stderr line (undefined: upstream fails silently when the source changed);
 * `changed`: the source shrank while it was copied, so it is no longer what was hashed.
 */
export type CopyOutcome = { ok: true } | { ok: false; message?: string; changed?: boolean };

const SOURCE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
const DEST_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const CHUNK = 1024 * 1024;
const PAGE = 4096;
const ZERO_PAGE = Buffer.alloc(PAGE);
let chunk: Buffer | undefined;

/** The lstat fields a copy takes over (a BigIntStats has them; so does a message to a hashing thread). */
export interface CopySubject {
  size: bigint;
  mode: bigint;
  uid: bigint;
  gid: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
}

/** The source ended before its lstat size: it changed after it was hashified. */
class SourceChangedError extends Error {}

class StepError extends Error {
  constructor(readonly call: string, readonly cause: unknown) {
    super(call);
  }
}

function step<T>(call: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new StepError(call, error);
  }
}

/**
 * Writes the copy under a temporary name beside `slot` and renames it over the empty placeholder,
 * so the slot never holds a half-written file (upstream writes the entry in place). Holes are kept
 * at page granularity like upstream. QUIRK Q28: times are set in whole seconds, extended attributes
 * (file capabilities included) and ACLs are not copied — exactly what upstream's copy keeps.
 */
export function copyToStore(
  sourcePath: Buffer,
  source: BigIntStats,
  slot: string,
  ops: FsOps = realFsOps,
  tempDir?: string,
): CopyOutcome {
  let src: number;
  try {
    src = openSync(sourcePath, SOURCE_FLAGS);
  } catch (error) {
    return { ok: false, message: `open(): ${formatErrno(error)}\n` };
  }
  // In the root's temporary directory when given (one place to sweep after a crash), else beside the slot.
  const temp = tempDir === undefined
    ? Buffer.concat([Buffer.from(slot), computeTempSuffix()])
    : formatCopyTempPath(tempDir);
  try {
    const fst = fstatSync(src, { bigint: true });
    if (fst.dev !== source.dev || fst.ino !== source.ino) return { ok: false };
    const written = writeCopy(src, source, temp, ops);
    if (!written.ok) return written;
    try {
      ops.rename(temp, slot);
    } catch (error) {
      unlinkQuietly(temp, ops);
      return { ok: false, message: `rename(): ${formatErrno(error)}\n` };
    }
    return { ok: true };
  } finally {
    closeQuietly(src);
  }
}

/** A fresh name for a copy in a root's temporary directory. */
export function formatCopyTempPath(tempDir: string): Buffer {
  return Buffer.concat([Buffer.from(`${tempDir}/copy`), computeTempSuffix()]);
}

/**
 * Writes the content of the open, identity-checked `src` (as lstat saw it: `source`) to the new
 * file `temp` with owner, mode and whole-second times. On failure nothing is left at `temp`.
 * Not copy_file_range: upstream turns zero pages into holes, and so do we.
 */
export function writeCopy(src: number, source: CopySubject, temp: Buffer, ops: FsOps = realFsOps): CopyOutcome {
  let dest: number | undefined;
  try {
    dest = step('open', () => openSync(temp, DEST_FLAGS, 0o200));
    copyContent(src, dest, Number(source.size));
    const fd = dest;
    step('fchown', () => fchownSync(fd, Number(source.uid), Number(source.gid)));
    step('fchmod', () => fchmodSync(fd, Number(source.mode & 0o7777n)));
    // Dates, not numbers: Node turns negative numeric times (before 1970) into "now".
    step('utime', () => futimesSync(fd, secondsToDate(source.atimeNs), secondsToDate(source.mtimeNs)));
    step('close', () => closeSync(fd));
    dest = undefined;
    return { ok: true };
  } catch (error) {
    if (dest !== undefined) closeQuietly(dest);
    if (!(error instanceof StepError) || error.call !== 'open') unlinkQuietly(temp, ops);
    if (error instanceof SourceChangedError) return { ok: false, changed: true };
    if (error instanceof StepError) return { ok: false, message: `${error.call}(): ${formatErrno(error.cause)}\n` };
    return { ok: false, message: `copy(): ${formatErrno(error)}\n` };
  }
}

function secondsToDate(ns: bigint): Date {
  const q = ns / 1_000_000_000n;
  const seconds = ns < 0n && q * 1_000_000_000n !== ns ? q - 1n : q;
  return new Date(Number(seconds) * 1000);
}

function copyContent(src: number, dest: number, size: number): void {
  chunk ??= Buffer.allocUnsafe(CHUNK);
  const buf = chunk;
  step('ftruncate', () => ftruncateSync(dest, size));
  let position = 0;
  while (position < size) {
    const got = step('read', () => readSync(src, buf, 0, Math.min(CHUNK, size - position), position));
    if (got === 0) throw new SourceChangedError();
    for (let off = 0; off < got; off += PAGE) {
      const end = Math.min(off + PAGE, got);
      const page = buf.subarray(off, end);
      if (page.equals(ZERO_PAGE.subarray(0, end - off))) continue; // leave a hole, as upstream does
      writeFully(dest, page, position + off);
    }
    position += got;
  }
}

function writeFully(fd: number, data: Buffer, position: number): void {
  let done = 0;
  while (done < data.length) {
    done += step('write', () => writeSync(fd, data, done, data.length - done, position + done));
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed or never valid
  }
}

function unlinkQuietly(path: Buffer, ops: FsOps): void {
  try {
    ops.unlink(path);
  } catch {
    // gone already
  }
}
