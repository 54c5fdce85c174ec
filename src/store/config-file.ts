// Reading and exclusively creating the small configuration files of a hash dir (`method`,
// `blocks`, `blocksize`), with upstream's notion of "absent", "unreadable" and fatal errors.
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { formatErrno } from '../report/strerror.js';
import { concatBytes } from './byte-text.js';

/** What reading a config file found: no file to open, no usable content, or its bytes. */
export type ConfigFileRead =
  | { kind: 'absent' }
  | { kind: 'unreadable' }
  | { kind: 'content'; data: Buffer };

/** Outcome of creating a config file: done, or the fatal `<call>(): <strerror>` line. */
export type ConfigFileCreate = { ok: true } | { ok: false; message: Buffer };

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing a descriptor we just used cannot fail in a way that changes the outcome.
  }
}

/**
 * Reads a whole config file like upstream: any open() failure counts as absent (so the file is
 * created); size 0, a read error or a size change counts as unreadable.
 */
export function readConfigFile(path: Buffer): ConfigFileRead {
  let fd: number;
  try {
    // IMPROVEMENT: O_NONBLOCK so a FIFO planted under a config name cannot hang the run
    // (it reads as unreadable); it makes no difference for regular files.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return { kind: 'absent' };
  }
  try {
    // Upstream takes the size from lseek(SEEK_END), which is st_size for regular files; on a
    // directory it fails or misbehaves depending on the file system, we report "unreadable".
    const size = fstatSync(fd).size;
    if (size <= 0) return { kind: 'unreadable' };
    // One read of size + 1 bytes must return exactly size bytes, as upstream demands.
    const buffer = Buffer.alloc(size + 1);
    const got = readSync(fd, buffer, 0, size + 1, 0);
    if (got !== size) return { kind: 'unreadable' };
    return { kind: 'content', data: buffer.subarray(0, size) };
  } catch {
    return { kind: 'unreadable' };
  } finally {
    closeQuietly(fd);
  }
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/**
 * Creates a config file with O_CREAT|O_EXCL|O_NOFOLLOW|O_WRONLY, mode 0644 (minus umask), and
 * writes the content. A failing open() is fatal (`open(): …`, e.g. for a dangling symlink);
 * write errors are fatal (`write(): …`) unless `ignoreWriteErrors` (upstream's `method`).
 */
export function createConfigFile(path: Buffer, content: string, ignoreWriteErrors: boolean): ConfigFileCreate {
  let fd: number;
  try {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    fd = openSync(path, flags, 0o644);
  } catch (err) {
    return { ok: false, message: concatBytes('open(): ', formatErrno(err)) };
  }
  try {
    writeAll(fd, Buffer.from(content, 'latin1'));
  } catch (err) {
    if (!ignoreWriteErrors) return { ok: false, message: concatBytes('write(): ', formatErrno(err)) };
  } finally {
    closeQuietly(fd);
  }
  return { ok: true };
}
