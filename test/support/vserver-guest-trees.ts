// Looks at the guests and installations of vserver.json scenarios, to check what a derivation relies on.
import type { TreeEntry } from './tree-vectors.js';

/** The ENTRY at `path` (relative to `${ROOT}`) of a scenario's initial tree. */
export function findTreeEntry(scenario: { id?: string; tree: readonly TreeEntry[] }, path: string): TreeEntry {
  const entry = scenario.tree.find((candidate) => candidate.path === path);
  if (entry === undefined) throw new Error(`${scenario.id ?? 'scenario'} has no ${path}`);
  return entry;
}

/** Paths below the guest root (`/etc/hostname`) where two guests' initial trees differ, in either direction, sorted. */
export function findGuestDifferences(
  a: { tree: readonly TreeEntry[] },
  guestA: string,
  b: { tree: readonly TreeEntry[] },
  guestB: string,
): string[] {
  return findEntryDifferences(a.tree, `vservers/${guestA}/`, b.tree, `vservers/${guestB}/`).map((path) => `/${path}`);
}

/** Paths (below each list's prefix) where two ENTRY lists differ: present on one side only, or in any field; sorted. */
export function findEntryDifferences(a: readonly TreeEntry[], prefixA: string, b: readonly TreeEntry[], prefixB: string): string[] {
  const left = indexEntries(a, prefixA);
  const right = indexEntries(b, prefixB);
  return [...new Set([...left.keys(), ...right.keys()])].filter((path) => left.get(path) !== right.get(path)).sort();
}

// Each entry without its path, as JSON: equal text means the same type, content, owner, mode, time and target.
function indexEntries(entries: readonly TreeEntry[], prefix: string): Map<string, string> {
  return new Map(
    entries
      .filter((entry) => entry.path.startsWith(prefix))
      .map(({ path, ...rest }) => [path.slice(prefix.length), JSON.stringify(rest)]),
  );
}
