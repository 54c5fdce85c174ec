// Checks on a guest after a run or a kill, phrased as lists of problems (empty = fine).
import { computeEntriesByInode, type StoreListing } from './store-audit.js';
import { computeSharingGroups, findLostPaths, findNewPaths, isTempPath, type TreeSnapshot } from './tree-snapshot.js';

/** Leftovers a kill may legitimately leave, counted for the test's diagnostics. */
export interface LeftoverCounts {
  guestTemps: number;
  storeTemps: number;
  placeholders: number;
}

/**
 * After a kill: every original path still has its content and metadata; the only new names are
 * `name;XXXXXX` temporaries that are extra links to a store entry (nothing else may appear).
 */
export function findCrashDamage(pristine: TreeSnapshot, now: TreeSnapshot, store: StoreListing): string[] {
  const problems = findLostPaths(pristine, now);
  const entries = computeEntriesByInode(store);
  for (const path of findNewPaths(pristine, now)) {
    const info = now.get(path)!;
    if (!isTempPath(path)) problems.push(`unexpected new guest path ${JSON.stringify(path)}`);
    else if (info.type !== 'file' || !entries.has(`${info.dev}:${info.ino}`)) {
      problems.push(`guest temporary ${JSON.stringify(path)} is not an extra link to a store entry`);
    }
  }
  return problems;
}

/** Counts what a kill left behind (guest temporaries, store copy temporaries, empty placeholders). */
export function computeLeftoverCounts(pristine: TreeSnapshot, now: TreeSnapshot, store: StoreListing): LeftoverCounts {
  return {
    guestTemps: findNewPaths(pristine, now).filter(isTempPath).length,
    storeTemps: store.temps.length,
    placeholders: store.entries.filter((e) => e.stat.size === 0n && (e.stat.mode & 0o7777n) === 0o200n).length,
  };
}

/** For each guest path that is a link to a store entry, the entry's name (paths sorted). */
export function computeEntryLinks(guest: TreeSnapshot, store: StoreListing): Array<[string, string]> {
  const entries = computeEntriesByInode(store);
  const links: Array<[string, string]> = [];
  for (const [path, info] of guest) {
    const entry = entries.get(`${info.dev}:${info.ino}`);
    if (info.type === 'file' && entry !== undefined) links.push([path, entry.name]);
  }
  return links.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Guest paths of the `name;XXXXXX` form. */
export function findTempPaths(guest: TreeSnapshot): string[] {
  return [...guest.keys()].filter(isTempPath);
}

/** What an uninterrupted run left: the state every interrupted-then-completed run must reach. */
export interface ReferenceState {
  names: string[];
  groups: string[][];
  links: Array<[string, string]>;
  paths: number;
}

/** The reference state of a guest and its store after an uninterrupted run. */
export function computeReferenceState(guest: TreeSnapshot, store: StoreListing): ReferenceState {
  return { names: store.entries.map((e) => e.name), groups: computeSharingGroups(guest), links: computeEntryLinks(guest, store), paths: guest.size };
}

/**
 * How a completed run's result differs from the reference: other store entry names, other sharing,
 * a guest path linked to another entry, or another number of guest paths (temporaries left).
 */
export function findReferenceDifferences(guest: TreeSnapshot, store: StoreListing, ref: ReferenceState): string[] {
  const now = computeReferenceState(guest, store);
  const problems: string[] = [];
  if (JSON.stringify(now.names) !== JSON.stringify(ref.names)) problems.push(`store entry names differ: ${JSON.stringify(now.names.filter((n) => !ref.names.includes(n)))} new, ${JSON.stringify(ref.names.filter((n) => !now.names.includes(n)))} missing`);
  if (JSON.stringify(now.groups) !== JSON.stringify(ref.groups)) problems.push('guest paths share inodes differently');
  if (JSON.stringify(now.links) !== JSON.stringify(ref.links)) problems.push('guest paths link to other entries');
  if (now.paths !== ref.paths) problems.push(`${now.paths} guest paths instead of ${ref.paths}`);
  return problems;
}
