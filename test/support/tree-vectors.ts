// The shape of trees.json and its placeholder conventions (${ROOT}, ${V}), as the vectors' README defines them.
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

/** Builds the argument list of a step at one level: `${ROOT}` substituted, `${V}` dropped or made `-v…`. */
export function formatStepArgv(argv: readonly string[], root: Buffer, level: number): string[] {
  const result: string[] = [];
  for (const arg of argv) {
    if (arg === '${V}') {
      if (level > 0) result.push(`-${'v'.repeat(level)}`);
      continue;
    }
    result.push(substituteRoot(arg, root));
  }
  return result;
}

/** The working directory of a step (default `/`), with `${ROOT}` substituted. */
export function formatStepCwd(step: TreeStep, root: Buffer): string {
  return substituteRoot(step.cwd ?? '/', root);
}

/** Replaces every occurrence of the absolute root in program output by `${ROOT}`, on bytes. */
export function normalizeRootInOutput(output: Buffer, root: Buffer): Buffer {
  const placeholder = Buffer.from('${ROOT}');
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = output.indexOf(root, from); at !== -1; at = output.indexOf(root, from)) {
    parts.push(output.subarray(from, at), placeholder);
    from = at + root.length;
  }
  parts.push(output.subarray(from));
  return Buffer.concat(parts);
}

function substituteRoot(text: string, root: Buffer): string {
  return text.split('${ROOT}').join(formatSpawnArgument(root));
}
