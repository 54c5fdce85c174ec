// A deterministic guest tree for fault tests: many files, duplicates, attribute variants, large files.
import { chownSync, chmodSync, linkSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What to generate; the same spec and seed always give the same tree. */
export interface GuestSpec {
  seed: number;
  /** Regular files besides the large ones (tiny, unique, duplicates, hard links). */
  files: number;
  dirs: number;
  largeFiles: number;
  /** Bytes of each large file. */
  largeSize: number;
}

/** What was generated, as guest-relative paths (no leading `/`). */
export interface GuestLayout {
  dirs: string[];
  files: string[];
  /** Files of 16 bytes or more outside `etc/` (the exclude list `EXCLUDE_ETC` spares them). */
  candidates: string[];
}

/** The exclude list that goes with a synthetic guest: everything below `/etc` stays private. */
export const EXCLUDE_ETC = '/etc/*\n';

interface Attrs {
  uid: number;
  gid: number;
  mode: number;
  mtime: number;
}

/** mulberry32: small, fast and good enough to pick sizes and names reproducibly. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Content that differs for every `key`: a 4 KiB pseudo-random block, each page stamped with key and page number. */
export function createContent(key: string, size: number): Buffer {
  const random = createRandom(hashKey(key));
  const block = Buffer.alloc(Math.min(size, 4096));
  for (let i = 0; i < block.length; i += 1) block[i] = Math.floor(random() * 256);
  const out = Buffer.alloc(size);
  for (let off = 0, page = 0; off < size; off += 4096, page += 1) {
    block.copy(out, off, 0, Math.min(4096, size - off));
    // A stamp per page keeps every page of every file distinct (no accidental equal pages, no zero pages).
    out.write(`${key}#${page};`.slice(0, Math.min(64, size - off)), off, 'latin1');
  }
  return out;
}

function hashKey(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

const OWNERS = [[0, 0], [1000, 1000], [33, 33]] as const;
const MODES = [0o644, 0o644, 0o644, 0o755, 0o600, 0o444, 0o4755];
const EXTENSIONS = ['', '.so', '.conf', '.txt', '.py', ' copy', '.é'];

function writeWithAttrs(path: string, content: Buffer, a: Attrs): void {
  writeFileSync(path, content);
  chownSync(path, a.uid, a.gid);
  chmodSync(path, a.mode);
  utimesSync(path, a.mtime, a.mtime);
}

/**
 * Writes the guest below `root` (an existing empty directory). About 40 % of the files are exact
 * duplicates of earlier ones, a few share content but not attributes, a few are hard links, about
 * 8 % are below 16 bytes; `etc/` holds files the exclude list keeps out; one symlink and one fifo.
 */
export function createSyntheticGuest(root: string, spec: GuestSpec): GuestLayout {
  const random = createRandom(spec.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const layout: GuestLayout = { dirs: ['etc'], files: [], candidates: [] };
  mkdirSync(join(root, 'etc'));
  for (let i = 0; i < spec.dirs; i += 1) {
    const parent = random() < 0.3 ? '' : pick(layout.dirs.filter((d) => d.split('/').length < 5));
    const dir = parent === '' ? `d${i}` : `${parent}/d${i}`;
    mkdirSync(join(root, dir));
    layout.dirs.push(dir);
  }
  const templates: Array<{ key: string; size: number; attrs: Attrs }> = [];
  const add = (path: string, size: number): void => {
    layout.files.push(path);
    if (size >= 16 && !path.startsWith('etc/')) layout.candidates.push(path);
  };
  const sizes = new Map<string, number>();
  for (let i = 0; i < spec.files; i += 1) {
    const path = `${pick(layout.dirs)}/f${i}${pick(EXTENSIONS)}`;
    const [uid, gid] = pick(OWNERS);
    const attrs: Attrs = { uid, gid, mode: pick(MODES), mtime: 1_600_000_000 + Math.floor(random() * 5) * 86_400 };
    const r = random();
    if (r < 0.08) {
      const size = Math.floor(random() * 16);
      writeWithAttrs(join(root, path), createContent(`tiny${i}`, size), attrs);
      sizes.set(path, size);
    } else if (r < 0.46 && templates.length > 0) {
      const t = pick(templates);
      writeWithAttrs(join(root, path), createContent(t.key, t.size), t.attrs);
      sizes.set(path, t.size);
    } else if (r < 0.5 && templates.length > 0) {
      const t = pick(templates);
      // Same bytes, another mtime: a separate store entry.
      writeWithAttrs(join(root, path), createContent(t.key, t.size), { ...t.attrs, mtime: t.attrs.mtime + 1 });
      sizes.set(path, t.size);
    } else if (r < 0.52 && layout.files.length > 0) {
      const target = pick(layout.files);
      linkSync(join(root, target), join(root, path));
      sizes.set(path, sizes.get(target)!);
    } else {
      const size = 16 + Math.floor(random() ** 3 * 20_000);
      const key = `u${spec.seed}-${i}`;
      writeWithAttrs(join(root, path), createContent(key, size), attrs);
      templates.push({ key, size, attrs });
      sizes.set(path, size);
    }
    add(path, sizes.get(path)!);
  }
  const bigAttrs: Attrs = { uid: 0, gid: 0, mode: 0o644, mtime: 1_650_000_000 };
  for (let i = 0; i < spec.largeFiles; i += 1) {
    const path = `${pick(layout.dirs.slice(1))}/large${i}.bin`;
    // Every third large file repeats the previous one: large duplicates exercise long copies and compares.
    const key = i % 3 === 2 ? `large${spec.seed}-${i - 1}` : `large${spec.seed}-${i}`;
    writeWithAttrs(join(root, path), createContent(key, spec.largeSize), bigAttrs);
    add(path, spec.largeSize);
  }
  symlinkSync('../etc/passwd', join(root, layout.dirs[1] ?? 'etc', 'link-to-etc'));
  spawnSync('mkfifo', [join(root, 'etc', 'initctl')]);
  return layout;
}
