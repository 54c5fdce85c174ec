// Listing edits that give the STATE and CONFIG listings a deliberate step must leave (see vserver-overrides.ts).
import { createHash } from 'node:crypto';
import type { ListingEntry, StateEntry, TreeEntry } from './tree-vectors.js';
import type { ConfigEntry } from './vserver-vectors.js';

/** A guest file a run links to a store entry, both as paths below `${ROOT}`. */
export interface StoreLink {
  guest: string;
  entry: string;
}

/** The links a run's -vvvv stdout announces (`unifying   'P' (to 'E')`), resolved below `${ROOT}` through the CONFIG symlinks. */
export function parseStoreLinks(stdout: string, config: readonly TreeEntry[]): StoreLink[] {
  const vdir = /^Initializing exclude-list for \$\{ROOT\}\/(.*) \(.*\)$/m.exec(stdout)?.[1];
  if (vdir === undefined) throw new Error(`no guest below \${ROOT} named in:\n${stdout}`);
  return [...stdout.matchAll(/^unifying {3}'(.*)' \(to '(.*)'\)$/gm)].map(([, path, entry]) => ({
    guest: `${vdir}${path!}`,
    entry: resolveStoreEntry(entry!, config),
  }));
}

/**
 * The listing after a copy-mode run (spec 8.2, 8.4) that made these links in order: a guest file whose entry exists
 * becomes another name of it; otherwise a copy (owner, mode, mtime kept) becomes the new entry and the guest file's
 * inode, in digest directories made 040700 root:root. Link counts follow; new inodes get labels from `nextLabel` on,
 * in path order (README, STATE listing).
 */
export function applyStoreLinks(before: readonly StateEntry[], links: readonly StoreLink[], nextLabel: number): StateEntry[] {
  const byPath = new Map(before.map((entry) => [entry.path, { ...entry }]));
  const touched = new Set<string>();
  for (const [index, link] of links.entries()) {
    const guest = byPath.get(link.guest);
    if (guest?.type !== 'file') throw new Error(`no guest file ${link.guest} to link`);
    touched.add(guest.inode!);
    let entry = byPath.get(link.entry);
    if (entry === undefined) {
      const dev = createDigestDirectories(byPath, link.entry);
      entry = { ...guest, path: link.entry, dev, inode: `new-${index}` };
      byPath.set(link.entry, entry);
    }
    touched.add(entry.inode!);
    byPath.set(link.guest, { ...entry, path: link.guest });
  }
  const after = sortListing([...byPath.values()]);
  const counts = new Map<string, number>();
  for (const entry of after) if (entry.inode !== undefined) counts.set(entry.inode, (counts.get(entry.inode) ?? 0) + 1);
  for (const entry of after) if (entry.inode !== undefined && touched.has(entry.inode)) entry.nlink = counts.get(entry.inode)!;
  return relabelNewInodes(after, 'i', nextLabel);
}

/** The CONFIG listing after a real run created `method` (`sha256`) and `blocks` (`all`) in the hash dir (spec 5.2). */
export function addHashConfigFiles(before: readonly ConfigEntry[], hashDir: string, nextLabel: number): ConfigEntry[] {
  const created: ConfigEntry[] = [['blocks', 'all\n'], ['method', 'sha256\n']].map(([name, text]) => ({
    path: `${hashDir}/${name}`,
    type: 'file',
    mode: '0100644',
    uid: 0,
    gid: 0,
    inode: `new-${name}`,
    nlink: 1,
    size: Buffer.byteLength(text!),
    mtime: 'now',
    sha256: createHash('sha256').update(text!).digest('hex'),
  }));
  if (created.some((entry) => before.some((old) => old.path === entry.path))) throw new Error(`${hashDir} already has its configuration files`);
  return relabelNewInodes(sortListing([...before.map((entry) => ({ ...entry })), ...created]), 'c', nextLabel);
}

/** The first inode label number not used in any of the listings (labels are never reused within a scenario). */
export function findNextLabel(listings: readonly (readonly ListingEntry[])[], prefix: string): number {
  let highest = 0;
  for (const listing of listings) {
    for (const { inode } of listing) if (inode?.startsWith(prefix)) highest = Math.max(highest, Number(inode.slice(prefix.length)));
  }
  return highest + 1;
}

// `${CONFDIR}/<storage root symlink>/<name>` → `<symlink target below ${ROOT}>/<name>`; `//` and `/./` are the same directory.
function resolveStoreEntry(path: string, config: readonly TreeEntry[]): string {
  if (!path.startsWith('${CONFDIR}/')) throw new Error(`store entry ${path} is not named through \${CONFDIR}`);
  const parts = path.slice('${CONFDIR}/'.length).split('/').filter((part) => part !== '' && part !== '.');
  for (let length = parts.length - 1; length > 0; length--) {
    const link = config.find((entry) => entry.type === 'symlink' && entry.path === parts.slice(0, length).join('/'));
    if (link === undefined) continue;
    if (!link.target!.startsWith('${ROOT}/')) throw new Error(`storage root ${link.path} does not lead below \${ROOT}`);
    return [link.target!.slice('${ROOT}/'.length), ...parts.slice(length)].join('/');
  }
  throw new Error(`no storage root symlink on the way to ${path}`);
}

// Creates the missing directories above a new entry; they live on the filesystem of the nearest existing one.
function createDigestDirectories(byPath: Map<string, StateEntry>, entryPath: string): string {
  const parts = entryPath.split('/');
  let dev: string | undefined;
  for (let length = 1; length < parts.length; length++) {
    const path = parts.slice(0, length).join('/');
    const existing = byPath.get(path);
    if (existing !== undefined) {
      dev = existing.dev;
      continue;
    }
    if (dev === undefined) throw new Error(`no directory above ${entryPath} in the listing`);
    byPath.set(path, { path, type: 'dir', mode: '040700', uid: 0, gid: 0, dev });
  }
  return dev!;
}

function sortListing<T extends ListingEntry>(listing: T[]): T[] {
  return listing.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function relabelNewInodes<T extends ListingEntry>(sorted: T[], prefix: string, nextLabel: number): T[] {
  const labels = new Map<string, string>();
  let next = nextLabel;
  for (const entry of sorted) {
    if (!entry.inode?.startsWith('new-')) continue;
    if (!labels.has(entry.inode)) labels.set(entry.inode, `${prefix}${next++}`);
    entry.inode = labels.get(entry.inode)!;
  }
  return sorted;
}
