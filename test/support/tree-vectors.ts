// The shape of trees.json and its placeholder conventions (${ROOT}, ${V}; vserver.json adds more), as the vectors' README defines them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from './paths.js';
import { formatSpawnArgument } from './tree-bytes.js';

/** One node of a scenario's initial tree (README "ENTRY (tree) types"). */
export interface TreeEntry {
  path: string;
  type: 'dir' | 'file' | 'hardlink' | 'symlink' | 'fifo' | 'mount' | 'bind';
  mode?: string;
  uid?: number;
  gid?: number;
  mtime?: number;
  content_b64?: string;
  target?: string;
  source?: string;
}

/** A change applied to the tree before a step (README "OP types"). */
export interface TreeOp {
  type: 'write' | 'chmod';
  path: string;
  content_b64?: string;
  mode?: string;
  mtime?: number;
}

/** One line of a STATE listing; `inode`, `nlink` and the file fields only where the README says. */
export interface StateEntry {
  path: string;
  type: 'dir' | 'file' | 'symlink' | 'fifo';
  mode: string;
  uid: number;
  gid: number;
  dev: string;
  inode?: string;
  nlink?: number;
  size?: number;
  mtime?: number | 'now';
  sha256?: string;
  target?: string;
}

/** One line of a STATE listing or of vserver.json's CONFIG listing, which has no `dev`. */
export type ListingEntry = Omit<StateEntry, 'dev'> & { dev?: string };

/** What one run printed at one verbosity level; `combined` only when both streams are non-empty. */
export interface StepOutput {
  stdout: string;
  stderr: string;
  combined?: string;
}

/** One program run of a scenario. */
export interface TreeStep {
  name: string;
  before?: TreeOp[];
  cwd?: string;
  argv: string[];
  exit_code: number;
  output: Record<string, StepOutput>;
  state_after: StateEntry[];
}

/** A tree plus the runs made on it, in order. */
export interface TreeScenario {
  id: string;
  description: string;
  tree: TreeEntry[];
  initial_state: StateEntry[];
  steps: TreeStep[];
}

/** The verbosity levels every step has an expectation for. */
export const verbosityLevels = [0, 1, 2, 3, 4, 5, 6] as const;

/** Loads every scenario of the shared trees.json (read fresh on each call; callers keep what they need). */
export function readTreeScenarios(): TreeScenario[] {
  const parsed = JSON.parse(readFileSync(join(vectorsDir, 'trees.json'), 'utf8')) as {
    format: string;
    scenarios: TreeScenario[];
  };
  if (parsed.format !== 'vhashify-trees/1') throw new Error(`unexpected trees.json format ${parsed.format}`);
  return parsed.scenarios;
}

/** The absolute paths behind a vectors file's placeholders: `${ROOT}`, and in vserver.json also `${CONFDIR}`, `${DEFAULTSDIR}`. */
export type Placeholders = ReadonlyMap<string, Buffer>;

/** The placeholders of trees.json: only `${ROOT}`. */
export function createRootPlaceholders(root: Buffer): Placeholders {
  return new Map([['${ROOT}', root]]);
}

/** Builds the argument list of a step at one level: placeholders substituted, `${V}` dropped or made `-v…`. */
export function formatStepArgv(argv: readonly string[], placeholders: Placeholders, level: number): string[] {
  const result: string[] = [];
  for (const arg of argv) {
    if (arg === '${V}') {
      if (level > 0) result.push(`-${'v'.repeat(level)}`);
      continue;
    }
    result.push(substitutePlaceholders(arg, placeholders));
  }
  return result;
}

/** The working directory of a step (default `/`), with its placeholders substituted. */
export function formatStepCwd(step: { cwd?: string }, placeholders: Placeholders): string {
  return substitutePlaceholders(step.cwd ?? '/', placeholders);
}

/** Replaces every placeholder in a text from the vectors (an argument, a symlink target) by its absolute path. */
export function substitutePlaceholders(text: string, placeholders: Placeholders): string {
  let result = text;
  for (const [placeholder, path] of placeholders) result = result.split(placeholder).join(formatSpawnArgument(path));
  return result;
}

/**
 * Replaces every occurrence of a placeholder's absolute path in program output by the placeholder, on bytes.
 * The longest path goes first, so a path that contains another one (a `${CONFDIR}` below `${ROOT}`, or the
 * other way round) is put back as the longer placeholder.
 */
export function normalizePlaceholdersInOutput(output: Buffer, placeholders: Placeholders): Buffer {
  const byLength = [...placeholders].sort(([, a], [, b]) => b.length - a.length);
  return byLength.reduce((text, [placeholder, path]) => replaceBytes(text, path, Buffer.from(placeholder)), output);
}

function replaceBytes(text: Buffer, search: Buffer, replacement: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = text.indexOf(search, from); at !== -1; at = text.indexOf(search, from)) {
    parts.push(text.subarray(from, at), replacement);
    from = at + search.length;
  }
  parts.push(text.subarray(from));
  return Buffer.concat(parts);
}
