// A file's digest as upstream names store entries: the packed attribute header, then exactly
// st_size content bytes read from an open descriptor.
import { readSync } from 'node:fs';
import { createDigester, type AlgorithmName } from './algorithms.js';
import { attributesFromStats, packAttrHeader } from './attr-header.js';

/** The lstat fields hashing needs (a FileStat has them; so does its copy in a message to a worker). */
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

const CHUNK = 1024 * 1024;
let sharedChunk: Buffer | undefined;

/**
 * Digests header + the first `subject.size` bytes of the open file; undefined when it has fewer
 * (it shrank since lstat: upstream's mapping faults there). QUIRK Q33: bytes beyond the lstat size
 * are not hashed.
 */
export function digestOpenFile(fd: number, subject: HashSubject, algorithm: AlgorithmName, ignoreMtime: boolean): Buffer | undefined {
  const digester = createDigester(algorithm);
  digester.update(packAttrHeader(attributesFromStats(subject), ignoreMtime));
  sharedChunk ??= Buffer.allocUnsafe(CHUNK);
  let remaining = Number(subject.size);
  let position = 0;
  try {
    while (remaining > 0) {
      const got = readSync(fd, sharedChunk, 0, Math.min(remaining, CHUNK), position);
      if (got === 0) return undefined;
      digester.update(sharedChunk.subarray(0, got));
      remaining -= got;
      position += got;
    }
  } catch {
    return undefined;
  }
  return digester.digest();
}
