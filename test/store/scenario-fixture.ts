// A small materialiser for the trees.json scenarios that exercise the hash dir (t03, t07, t09):
// enough to rebuild their hash dirs and guests on a fresh tmpfs and replay their `before` ops.
import {
  chmodSync, chownSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from '../support/paths.js';
import { createBindMount, createTmpfsAt } from './tmpfs-fixture.js';

/** One `tree` entry of trees.json (the fields these tests use). */
export interface TreeEntry {
  path: string;
  type: 'dir' | 'file' | 'symlink' | 'mount' | 'bind' | 'hardlink' | 'fifo';
  mode?: string;
  uid?: number;
  gid?: number;
  mtime?: number;
  content_b64?: string;
  target?: string;
  source?: string;
}

/** One STATE listing entry. */
export interface StateEntry { path: string; type: string; mode: string; sha256?: string }

/** One `before` op. */
export interface TreeOp { type: 'write' | 'chmod'; path: string; content_b64?: string; mode?: string; mtime?: number }

/** One step of a scenario. */
export interface ScenarioStep {
  name: string;
  cwd?: string;
  argv: string[];
  exit_code: number;
  before?: TreeOp[];
  output: Record<string, { stdout: string; stderr: string }>;
  state_after: StateEntry[];
}

/** One scenario of trees.json. */
export interface Scenario { id: string; tree: TreeEntry[]; steps: ScenarioStep[] }

/** The scenario with this id from the golden trees.json. */
export function readScenario(id: string): Scenario {
  const { scenarios } = JSON.parse(readFileSync(join(vectorsDir, 'trees.json'), 'utf8')) as { scenarios: Scenario[] };
  const scenario = scenarios.find((s) => s.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return scenario;
}

function writeRegularFile(path: string, entry: { content_b64?: string; mode?: string; uid?: number; gid?: number; mtime?: number }): void {
  writeFileSync(path, Buffer.from(entry.content_b64 ?? '', 'base64'));
  if (entry.uid !== undefined) chownSync(path, entry.uid, entry.gid ?? 0);
  if (entry.mode !== undefined) chmodSync(path, Number.parseInt(entry.mode, 8) & 0o7777);
  if (entry.mtime !== undefined) {
    // A Date, because Node replaces negative numeric times with the current time.
    const when = new Date(entry.mtime * 1000);
    utimesSync(path, when, when);
  }
}

/**
 * Builds the tree below `root` (an empty tmpfs). Every directory gets its entries in
 * descending name order, so tmpfs (newest first) lists them ascending, as for the vectors.
 */
export function createScenarioTree(root: string, tree: readonly TreeEntry[]): void {
  const binds: TreeEntry[] = [];
  const createChildren = (dir: string): void => {
    const prefix = dir === '' ? '' : `${dir}/`;
    const children = tree
      .filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'))
      .sort((a, b) => Buffer.compare(Buffer.from(b.path), Buffer.from(a.path)));
    for (const entry of children) {
      const path = join(root, entry.path);
      if (entry.type === 'dir' || entry.type === 'mount' || entry.type === 'bind') {
        mkdirSync(path);
        if (entry.type === 'mount') createTmpfsAt(path, '8m');
        if (entry.type === 'bind') binds.push(entry);
        else createChildren(entry.path);
      } else if (entry.type === 'file') {
        writeRegularFile(path, entry);
      } else if (entry.type === 'symlink') {
        symlinkSync(entry.target!, path);
      } else {
        throw new Error(`entry type ${entry.type} is not needed by these scenarios`);
      }
    }
  };
  createChildren('');
  for (const entry of binds) createBindMount(join(root, entry.source!), join(root, entry.path));
}

/** Applies a step's `before` ops below `root`. */
export function applyOps(root: string, ops: readonly TreeOp[] = []): void {
  for (const op of ops) {
    if (op.type === 'write') writeRegularFile(join(root, op.path), op);
    else chmodSync(join(root, op.path), Number.parseInt(op.mode!, 8) & 0o7777);
  }
}

/** What a manual-mode command line asks of the hash dir stage, if it gets that far. */
export interface ManualRun { destination: string; dryRun: boolean; positionals: string[] }

/**
 * Reads a step's argv (level 0: `${V}` dropped) the way getopt with `+` does: options until the
 * first non-option. Undefined unless it is a manual run with a destination and two positionals.
 */
export function parseManualRun(argv: readonly string[], root: string): ManualRun | undefined {
  const args = argv.filter((a) => a !== '${V}').map((a) => a.replaceAll('${ROOT}', root));
  let manual = false;
  let dryRun = false;
  let destination: string | undefined;
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const arg = args[i]!;
    if (arg === '--manually') manual = true;
    else if (arg === '-n' || arg === '--dry-run') dryRun = true;
    else if (arg === '--destination') destination = args[++i];
    else if (arg !== '-v') return undefined; // --help, unknown options: never reach the hash dir
  }
  const positionals = args.slice(i);
  if (!manual || destination === undefined || positionals.length < 2) return undefined;
  return { destination, dryRun, positionals };
}
