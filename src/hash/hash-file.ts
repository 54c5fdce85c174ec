// Computes a guest file's digest: the packed attribute header, then exactly st_size content bytes.
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { createDigester, type AlgorithmName } from './algorithms.js';
import { attributesFromStats, packAttrHeader } from './attr-header.js';
import { formatErrno } from '../report/strerror.js';
import type { Prepared } from '../unify/prepare-ahead.js';

/** The lstat fields hashing needs (a BigIntStats has them; so does a message to a worker). */
export interface HashSubject {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mode: bigint;
  uid: bigint;
  gid: bigint;
  rdev: bigint;
  mtimeNs: bigint;
}

/**
 * Digest of one file, or the stderr lines upstream prints when it cannot compute one. With
 * `keepOpen`, `fd` is the still open, identity-checked file: the caller closes it (later, so that
 * freeing a replaced inode happens off the main thread). `ahead`: what a hashing thread prepared
 * for the commit (unify/prepare-ahead.ts); a prepared copy's owner renames or removes it.
 */
export type HashOutcome = { ok: true; digest: Buffer; fd?: number; ahead?: Prepared } | { ok: false; messages: Buffer[] };

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
const CHUNK = 1024 * 1024;
let sharedChunk: Buffer | undefined;

function quoteName(prefix: string, name: Buffer, suffix: string): Buffer {
  return Buffer.concat([Buffer.from(prefix), name, Buffer.from(suffix)]);
}

/**
 * Opens `procPath` without following links, checks it is the inode lstat saw, and digests header +
 * content. QUIRK Q32: upstream's messages name the bare entry, not the path. QUIRK Q33: only the
 * lstat size is hashed; a file that shrank fails, one that grew is hashed up to the old size.
 */
export function hashFile(
  procPath: Buffer,
  name: Buffer,
  stat: HashSubject,
  algorithm: AlgorithmName,
  ignoreMtime: boolean,
  keepOpen = false,
): HashOutcome {
  let fd: number;
  try {
    fd = openSync(procPath, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, messages: [quoteName("Failed to open '", name, `': ${formatErrno(error)}\n`)] };
  }
  let handedOver = false;
  try {
    const fst = fstatSync(fd, { bigint: true });
    if (fst.dev !== stat.dev || fst.ino !== stat.ino) {
      return { ok: false, messages: [quoteName("An unexpected event occured while stating '", name, "'.\n")] };
    }
    const digester = createDigester(algorithm);
    digester.update(packAttrHeader(attributesFromStats(stat as BigIntStats), ignoreMtime));
    if (!digestContent(fd, stat.size, digester.update.bind(digester))) {
      return { ok: false, messages: [quoteName("Failed to calculate hash for '", name, "'.\n")] };
    }
    handedOver = keepOpen;
    return keepOpen ? { ok: true, digest: digester.digest(), fd } : { ok: true, digest: digester.digest() };
  } finally {
    if (!handedOver) closeSync(fd);
  }
}

function digestContent(fd: number, size: bigint, update: (chunk: Buffer) => void): boolean {
  sharedChunk ??= Buffer.allocUnsafe(CHUNK);
  let remaining = Number(size);
  let position = 0;
  try {
    while (remaining > 0) {
      const want = Math.min(remaining, CHUNK);
      const got = readSync(fd, sharedChunk, 0, want, position);
      if (got === 0) return false; // shrank since lstat: upstream's mapping faults here
      update(sharedChunk.subarray(0, got));
      remaining -= got;
      position += got;
    }
  } catch {
    return false;
  }
  return true;
}
