// The two listings of a vserver.json sandbox: STATE of `${ROOT}` and CONFIG of `${CONFDIR}`, symlink targets as placeholders.
import { createStateLabels, readTreeState, type ClockWindow, type StateLabels } from './tree-state.js';
import { normalizePlaceholdersInOutput, type ListingEntry, type Placeholders, type StateEntry } from './tree-vectors.js';
import type { ConfigEntry } from './vserver-vectors.js';

/** The labels of one sandbox: `i` inodes and `d` devices below `${ROOT}`, `c` inodes below `${CONFDIR}`. */
export interface VserverLabels {
  state: StateLabels;
  config: StateLabels;
}

/** Starts both label spaces of a scenario. */
export function createVserverLabels(root: Buffer, confDir: Buffer): VserverLabels {
  return { state: createStateLabels(root), config: createStateLabels(confDir, 'c') };
}

/** The STATE listing of `${ROOT}`, with absolute paths in symlink targets put back as placeholders. */
export function readVserverState(root: Buffer, labels: VserverLabels, clock: ClockWindow, placeholders: Placeholders): StateEntry[] {
  return readTreeState(root, labels.state, clock).map((entry) => normalizeTarget(entry, placeholders));
}

/** The CONFIG listing of `${CONFDIR}`: a STATE listing without `dev`, in the `c` label space. */
export function readVserverConfig(confDir: Buffer, labels: VserverLabels, clock: ClockWindow, placeholders: Placeholders): ConfigEntry[] {
  return readTreeState(confDir, labels.config, clock).map(({ dev: _dev, ...entry }) => normalizeTarget(entry, placeholders));
}

function normalizeTarget<T extends ListingEntry>(entry: T, placeholders: Placeholders): T {
  if (entry.target === undefined) return entry;
  return { ...entry, target: normalizePlaceholdersInOutput(Buffer.from(entry.target), placeholders).toString('utf8') };
}
