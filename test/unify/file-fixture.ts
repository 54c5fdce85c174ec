// Files with a chosen owner, mode and times, and tree listings that show exactly what a step changed.
import { createHash } from 'node:crypto';
import {
  chmodSync, chownSync, lstatSync, readdirSync, readFileSync, readlinkSync, utimesSync, writeFileSync, type BigIntStats,
} from 'node:fs';

/** Owner, permission bits (set-id bits included) and times of a file to create. */
export interface FileMeta {
  uid: number;
  gid: number;
  mode: number;
  mtime: Date;
  atime?: Date;
}

/** Writes the content, then chown, then chmod (chown clears set-id bits), then the times; returns the lstat. */
export function writeFileWithMeta(path: string | Buffer, content: string | Buffer, meta: FileMeta): BigIntStats {
  writeFileSync(path, content);
  chownSync(path, meta.uid, meta.gid);
  chmodSync(path, meta.mode);
  utimesSync(path, meta.atime ?? meta.mtime, meta.mtime);
  return lstatSync(path, { bigint: true });
}

/** SHA-256 of a file's content, hex. */
export function computeFileSha256(path: string | Buffer): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function describe(path: Buffer, relative: string): string {
  const st = lstatSync(path, { bigint: true });
  const common = `${JSON.stringify(relative)} mode=${st.mode.toString(8)} uid=${st.uid} gid=${st.gid} mtime=${st.mtimeNs}`;
  if (st.isDirectory()) return `${common} dir`;
  const inode = `ino=${st.ino} nlink=${st.nlink} ctime=${st.ctimeNs}`;
  if (st.isSymbolicLink()) return `${common} ${inode} -> ${JSON.stringify(readlinkSync(path, 'latin1'))}`;
  if (st.isFile()) return `${common} ${inode} size=${st.size} sha256=${computeFileSha256(path)}`;
  return `${common} ${inode} special`;
}

/**
 * One line per path below `dir` (the root excluded), sorted bytewise: type, owner, mode, inode,
 * link count, size, content digest, mtime and ctime. Two equal listings mean nothing was changed.
 */
export function listTree(dir: string | Buffer): string[] {
  const lines: string[] = [];
  const walk = (abs: Buffer, rel: string): void => {
    const names = readdirSync(abs, { encoding: 'buffer' }).sort(Buffer.compare);
    for (const name of names) {
      const childAbs = Buffer.concat([abs, Buffer.from('/'), name]);
      const childRel = `${rel}/${name.toString('latin1')}`;
      lines.push(describe(childAbs, childRel));
      if (lstatSync(childAbs).isDirectory()) walk(childAbs, childRel);
    }
  };
  walk(Buffer.isBuffer(dir) ? dir : Buffer.from(dir), '');
  return lines;
}
