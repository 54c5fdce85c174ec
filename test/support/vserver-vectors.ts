// The shape of vserver.json (whole vserver-mode runs) and its placeholders, on top of trees.json's conventions (vectors README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from './paths.js';
import type { Placeholders, StateEntry, TreeEntry, TreeStep } from './tree-vectors.js';

/** One line of a CONFIG listing: a STATE line without `dev`, inode labels `c1`, `c2`, … */
export type ConfigEntry = Omit<StateEntry, 'dev'>;

/** A file of the packaged defaults directory: an ENTRY plus the SHA-256 its content must have. */
export interface PackagedDefault extends TreeEntry {
  sha256: string;
}

/** One run of a scenario: through util-vserver's `vserver` wrapper or vhashify itself. */
export interface VserverStep extends TreeStep {
  via: 'wrapper' | 'direct';
  config_after: ConfigEntry[];
  /** Why the re-implementation departs from the recording here (see vserver-overrides.ts). */
  deliberate?: string;
}

/** An installation (`config` below `${CONFDIR}`), guests and stores (`tree` below `${ROOT}`), and the runs made on them. */
export interface VserverScenario {
  id: string;
  description: string;
  config: TreeEntry[];
  tree: TreeEntry[];
  initial_state: StateEntry[];
  initial_config: ConfigEntry[];
  steps: VserverStep[];
}

/** The whole of vserver.json. */
export interface VserverVectors {
  packaged_defaults: PackagedDefault[];
  scenarios: VserverScenario[];
}

/** The absolute paths of one sandbox installation that the placeholders stand for. */
export interface VserverPaths {
  root: Buffer;
  confDir: Buffer;
  defaultsDir: Buffer;
}

/** Loads the shared vserver.json (read fresh on each call; callers keep what they need). */
export function readVserverVectors(): VserverVectors {
  const parsed = JSON.parse(readFileSync(join(vectorsDir, 'vserver.json'), 'utf8')) as VserverVectors & { format: string };
  if (parsed.format !== 'vhashify-vserver/1') throw new Error(`unexpected vserver.json format ${parsed.format}`);
  return parsed;
}

/** `${ROOT}`, `${CONFDIR}` and `${DEFAULTSDIR}` of one sandbox. */
export function createVserverPlaceholders(paths: VserverPaths): Placeholders {
  return new Map([['${ROOT}', paths.root], ['${CONFDIR}', paths.confDir], ['${DEFAULTSDIR}', paths.defaultsDir]]);
}

/**
 * The wrapper's arguments with `--protect none` right after the command `hashify` (issue 9: the vectors assume a
 * kernel without VServer attributes); nothing is added when there is no such command. The search starts after the
 * name, so a guest called `hashify` is not mistaken for the command.
 */
export function insertProtectNone(wrapperArgv: readonly string[]): string[] {
  const at = wrapperArgv.indexOf('hashify', 1);
  if (at === -1) return [...wrapperArgv];
  return [...wrapperArgv.slice(0, at + 1), '--protect', 'none', ...wrapperArgv.slice(at + 1)];
}

/** The STATE and CONFIG listings step `index` starts from: those after the step before it, or the initial ones. */
export function findListingsBefore(scenario: VserverScenario, index: number): { state: StateEntry[]; config: ConfigEntry[] } {
  const previous = scenario.steps[index - 1];
  return previous === undefined
    ? { state: scenario.initial_state, config: scenario.initial_config }
    : { state: previous.state_after, config: previous.config_after };
}

/** Every listing of the scenario before step `index` (initial ones included): the inode labels they use are taken. */
export function findListingsSoFar(scenario: VserverScenario, index: number): { state: StateEntry[]; config: ConfigEntry[] }[] {
  return [
    { state: scenario.initial_state, config: scenario.initial_config },
    ...scenario.steps.slice(0, index).map((step) => ({ state: step.state_after, config: step.config_after })),
  ];
}
