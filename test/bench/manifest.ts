// Reads the facts of every regular file of the guests: content digest, metadata, inode, and whether the exclude list rules it out.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, type BigIntStats } from 'node:fs';
import { createMatchList } from '../../src/exclude/match-list.js';
import { parseExcludeList } from '../../src/exclude/parse-exclude-list.js';
import { AT_FDCWD, O_NOFOLLOW, O_NONBLOCK, O_RDONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { hasForeignXattrs } from '../../src/walk/foreign-xattrs.js';

/** One regular file as found on disk. */
export interface FileFacts {
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeSec: number;
  /** SHA-1 of the content, hex. */
  digest: string;
  inode: string;
  nlink: number;
  /** Below an excluded directory, or excluded itself, by the exclude list the manifest was read with. */
  excluded: boolean;
  /** Carrying extended attributes other than the SELinux label, which keep a file private in ours (not in upstream's, Q28). */
  keptPrivate: boolean;
}

/** A guest as the manifest names it: its files are keyed `name` + guest-relative path (latin1, lossless). */
export interface GuestDir {
  name: string;
  path: string;
}

/** Every regular file of the guests, by key. */
export type Manifest = Map<string, FileFacts>;

/** Decides whether a guest-relative path (starting with `/`) is excluded. */
export type IsExcluded = (path: Buffer) => boolean;

/** The exclude decision of an exclude file, with the product's matcher (the same first-match-wins rules). */
export function createExcludeCheck(excludeFile: string): IsExcluded {
  const list = createMatchList(parseExcludeList(readFileSync(excludeFile), excludeFile));
  return (path) => list.decide(path).verdict !== 'include';
}

/** Walks the guests and calls `visit` for every regular file; digests are computed once per inode. */
export function walkGuestFiles(guests: readonly GuestDir[], isExcluded: IsExcluded, visit: (key: string, facts: FileFacts) => void): void {
  const digests = new Map<string, string>();
  for (const guest of guests) {
    const stack: { abs: Buffer; rel: Buffer; excluded: boolean }[] = [{ abs: Buffer.from(guest.path), rel: Buffer.alloc(0), excluded: false }];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const name of readdirSync(dir.abs, { encoding: 'buffer' })) {
        const abs = Buffer.concat([dir.abs, SLASH, name]);
        const rel = Buffer.concat([dir.rel, SLASH, name]);
        const stat = lstatSync(abs, { bigint: true });
        const excluded = dir.excluded || isExcluded(rel);
        if (stat.isDirectory()) stack.push({ abs, rel, excluded });
        else if (stat.isFile()) visit(guest.name + rel.toString('latin1'), readFacts(abs, stat, excluded, digests));
      }
    }
  }
}

/** The manifest of the guests as they are now (read once from the pristine copies). */
export function readManifest(guests: readonly GuestDir[], isExcluded: IsExcluded): Manifest {
  const manifest: Manifest = new Map();
  walkGuestFiles(guests, isExcluded, (key, facts) => manifest.set(key, facts));
  return manifest;
}

const SLASH = Buffer.from('/');

/** What the product's own check says (walk/foreign-xattrs.ts), on the file opened without following links. */
function hasAttributesKeptPrivate(abs: Buffer): boolean {
  const fd = openAt(AT_FDCWD, abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    return hasForeignXattrs(fd);
  } finally {
    closeFd(fd);
  }
}

function readFacts(abs: Buffer, stat: BigIntStats, excluded: boolean, digests: Map<string, string>): FileFacts {
  const inode = `${stat.dev}:${stat.ino}`;
  let digest = digests.get(inode);
  if (digest === undefined) {
    digest = createHash('sha1').update(readFileSync(abs)).digest('hex');
    digests.set(inode, digest);
  }
  return {
    size: Number(stat.size),
    mode: Number(stat.mode),
    uid: Number(stat.uid),
    gid: Number(stat.gid),
    mtimeSec: Number(stat.mtimeNs / 1_000_000_000n),
    digest,
    inode,
    nlink: Number(stat.nlink),
    excluded,
    keptPrivate: hasAttributesKeptPrivate(abs),
  };
}
