// Looks at the guests of vserver.json scenarios (below `${ROOT}/vservers/<name>`), to check what a derivation relies on.
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
  const left = indexGuest(a.tree, guestA);
  const right = indexGuest(b.tree, guestB);
  return [...new Set([...left.keys(), ...right.keys()])].filter((path) => left.get(path) !== right.get(path)).sort();
}

// Each entry without its path, as JSON: equal text means the same type, content, owner, mode and time.
function indexGuest(tree: readonly TreeEntry[], guest: string): Map<string, string> {
  const prefix = `vservers/${guest}/`;
  return new Map(
    tree
      .filter((entry) => entry.path.startsWith(prefix))
      .map(({ path, ...rest }) => [`/${path.slice(prefix.length)}`, JSON.stringify(rest)]),
  );
}
