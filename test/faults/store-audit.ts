// An independent check of a store: every entry re-hashed against its name, no duplicate keys, no leftovers.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, type BigIntStats } from 'node:fs';

/** One `xx/yy/rest-NNNNNNNN` entry below a storage root. */
export interface StoreEntry {
  /** Path below the root, e.g. `23/50/ccae…958f-00000000`. */
  name: string;
  path: string;
  digestHex: string;
  counter: number;
  stat: BigIntStats;
}

/** Everything found below a storage root. */
export interface StoreListing {
  entries: StoreEntry[];
  /** Names ending in `;XXXXXX` (copy or link temporaries, wherever a run keeps them). */
  temps: string[];
  /** Anything else: files of other names, directories that are not the `xx/yy` fan-out (with a trailing `/`). */
  strays: string[];
}

const ENTRY = /^([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]+)-([0-9a-f]{8})$/;
const TEMP = /;[A-Za-z0-9]{6}$/;
const FAN_OUT = /^[0-9a-f]{2}(\/[0-9a-f]{2})?$/;

/** Lists a storage root (`root` ends in `/`). */
export function readStore(root: string): StoreListing {
  const listing: StoreListing = { entries: [], temps: [], strays: [] };
  for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = root + rel;
    const stat = lstatSync(path, { bigint: true });
    if (stat.isDirectory()) {
      // Only the fan-out belongs in a store between runs (a run's own work directory must be gone).
      if (!FAN_OUT.test(rel)) listing.strays.push(`${rel}/`);
      continue;
    }
    const m = ENTRY.exec(rel);
    if (m !== null && stat.isFile()) {
      listing.entries.push({ name: rel, path, digestHex: m[1]! + m[2]! + m[3]!, counter: parseInt(m[4]!, 16), stat });
    } else if (TEMP.test(rel)) listing.temps.push(rel);
    else listing.strays.push(rel);
  }
  return listing;
}

/** Node's name for a store method as written in the `method` file (upstream's normalisation). */
export function findCryptoName(method: string): string {
  const name = method.toLowerCase().replace(/-/g, '').replace(/[\n\0]+$/, '');
  if (name === 'md5' || name === 'sha1' || name === 'sha256') return name;
  throw new Error(`store method ${method} not supported by the audit`);
}

function floorSeconds(ns: bigint): bigint {
  const q = ns / 1_000_000_000n;
  return ns < 0n && q * 1_000_000_000n !== ns ? q - 1n : q;
}

/**
 * Upstream's digest, written out again here rather than taken from src/: the x86_64 header
 * (u32 mode, u32 uid, u32 gid, u64 rdev, i64 size, i64 mtime seconds; little-endian, packed),
 * then the content.
 */
export function computeStoreDigest(stat: BigIntStats, content: Buffer, method: string): string {
  const header = Buffer.alloc(36);
  header.writeUInt32LE(Number(stat.mode), 0);
  header.writeUInt32LE(Number(stat.uid), 4);
  header.writeUInt32LE(Number(stat.gid), 8);
  header.writeBigUInt64LE(stat.rdev, 12);
  header.writeBigInt64LE(stat.size, 20);
  header.writeBigInt64LE(floorSeconds(stat.mtimeNs), 28);
  return createHash(findCryptoName(method)).update(header).update(content).digest('hex');
}

/** The digest a file (by path) would be stored under, from its current attributes and content. */
export function computeFileDigest(path: string | Buffer, method: string): string {
  return computeStoreDigest(lstatSync(path, { bigint: true }), readFileSync(path), method);
}

function isUnifyable(a: BigIntStats, b: BigIntStats): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.size === b.size && floorSeconds(a.mtimeNs) === floorSeconds(b.mtimeNs);
}

/**
 * What is wrong with a store: an entry whose content or attributes no longer give its name; an
 * entry at counter k although a lower counter holds an entry it could have been unified with (two
 * entries for one key); copy temporaries; empty 0200 placeholders; anything else.
 */
export function findStoreProblems(listing: StoreListing, method: string): string[] {
  const problems: string[] = [];
  const byDigest = new Map<string, StoreEntry[]>();
  for (const e of listing.entries) {
    if (e.stat.size === 0n && (e.stat.mode & 0o7777n) === 0o200n) {
      problems.push(`empty placeholder left: ${e.name}`);
      continue;
    }
    const digest = computeStoreDigest(e.stat, readFileSync(e.path), method);
    if (digest !== e.digestHex) problems.push(`entry ${e.name} holds content/attributes of digest ${digest}`);
    const group = byDigest.get(e.digestHex) ?? [];
    group.push(e);
    byDigest.set(e.digestHex, group);
  }
  for (const group of byDigest.values()) {
    for (const later of group) {
      const earlier = group.find((e) => e.counter < later.counter && isUnifyable(e.stat, later.stat));
      if (earlier !== undefined) problems.push(`two entries for one key: ${later.name} beside ${earlier.name}`);
    }
  }
  for (const t of listing.temps) problems.push(`copy temporary left: ${t}`);
  for (const s of listing.strays) problems.push(`unexpected file in the store: ${s}`);
  return problems;
}

/** Store entries by `dev:ino`, to tell which guest paths are links to which entry. */
export function computeEntriesByInode(listing: StoreListing): Map<string, StoreEntry> {
  return new Map(listing.entries.map((e) => [`${e.stat.dev}:${e.stat.ino}`, e]));
}
