// Which paths of a guest a run acts on: all of them, or chosen files and directory trees
// (`--path`, `--package`). The walk enters only directories on the way to a chosen path.
import type { MatchDecision } from '../exclude/match-list.js';

/** The walk's view of a selection. */
export interface PathSelection {
  /** Whether the walk looks at this path at all (and enters it when it is a directory). */
  decide(path: Buffer): MatchDecision;
  /** Whether an entry the walk met is one to act on. */
  isSelected(path: Buffer): boolean;
  /** True when nothing narrows the run. */
  readonly everything: boolean;
}

/** A chosen guest path (physical, starting with `/`); `subtree`: everything below it too. */
export interface SelectedPath {
  path: Buffer;
  subtree: boolean;
}

const INCLUDE: MatchDecision = Object.freeze({ verdict: 'include' });
const LEAVE: MatchDecision = Object.freeze({ verdict: 'skip' });

/** Every path of the guest. */
export function selectEverything(): PathSelection {
  return { decide: () => INCLUDE, isSelected: () => true, everything: true };
}

// `/a/b/c` → `/a/b`, `/a`, `/`.
function* listAncestors(path: string): Generator<string> {
  for (let end = path.lastIndexOf('/'); end >= 0; end = path.lastIndexOf('/', end - 1)) {
    yield end === 0 ? '/' : path.slice(0, end);
    if (end === 0) return;
  }
}

/** Only the chosen paths (and, for subtrees, what lies below them). */
export function selectPaths(chosen: readonly SelectedPath[]): PathSelection {
  const exact = new Set<string>();
  const subtrees = new Set<string>();
  const onTheWay = new Set<string>();
  for (const { path, subtree } of chosen) {
    const key = path.toString('latin1');
    (subtree ? subtrees : exact).add(key);
    for (const ancestor of listAncestors(key)) onTheWay.add(ancestor);
  }
  const isSelectedKey = (key: string): boolean => {
    if (exact.has(key) || subtrees.has(key)) return true;
    for (const ancestor of listAncestors(key)) if (subtrees.has(ancestor)) return true;
    return false;
  };
  return {
    decide: (path) => {
      const key = path.toString('latin1');
      return onTheWay.has(key) || isSelectedKey(key) ? INCLUDE : LEAVE;
    },
    isSelected: (path) => isSelectedKey(path.toString('latin1')),
    everything: false,
  };
}
