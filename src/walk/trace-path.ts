// One guest path followed from the tree's root as the walk would reach it: component by component,
// each matched against the match list before it is looked at, directories opened without following
// links and checked against their lstat, exactly as walk-tree.ts does. Reads only.
import type { MatchDecision } from '../exclude/match-list.js';
import { lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { readlinkAt } from '../sys/link-ops.js';
import { openChildDir, releaseDir, retainDir, type DirHandle } from './dir-handle.js';
import { joinGuestPath, ROOT_GUEST_PATH } from './guest-path.js';
import type { DecidePath } from './walk-tree.js';

/** One component on the way: its guest path, what the match list says, and what lstat found. */
export interface TracedStep {
  path: Buffer;
  name: Buffer;
  decision: MatchDecision;
  /** Undefined when there is no such entry (or lstat failed: see the end). */
  stat?: FileStat;
}

/** Where the trace ended, and why. Every kind but `reached` means the walk never hashifies the path. */
export type TraceEnd =
  /** The path is the tree's root: the walk starts there and never matches it. */
  | { kind: 'root' }
  /** A `.` or `..` component: the walk lists such entries (reason `dotfile`) and never enters them. */
  | { kind: 'dot-component'; name: Buffer }
  /** The last step is excluded; for an earlier step, the directory is not entered (its subtree is pruned). */
  | { kind: 'excluded'; step: TracedStep }
  | { kind: 'missing'; step: TracedStep }
  | { kind: 'lstat-failed'; step: TracedStep; error: NodeJS.ErrnoException }
  /** An earlier step is a symbolic link: the walk never follows one. */
  | { kind: 'symlink'; step: TracedStep; target?: Buffer }
  /** An earlier step is not a directory, so nothing is below it. */
  | { kind: 'not-directory'; step: TracedStep }
  /** An earlier step is a directory that cannot be entered (or changed between lstat and open). */
  | { kind: 'dir-failed'; step: TracedStep; error: NodeJS.ErrnoException }
  /** The last step is included and exists; `dir` (retained: release it) holds it. */
  | { kind: 'reached'; step: TracedStep & { stat: FileStat }; dir: DirHandle };

/** The steps taken, in order, and how the trace ended. */
export interface PathTrace {
  /** The path as the walk spells it: `/`, single slashes, no trailing slash. */
  path: Buffer;
  steps: TracedStep[];
  end: TraceEnd;
}

/** The components of a guest path (empty ones dropped: `//etc/` is `/etc`); none for the root. */
export function splitGuestPath(path: Buffer): Buffer[] {
  const components: Buffer[] = [];
  let start = 0;
  for (let at = 0; at <= path.length; at += 1) {
    if (at === path.length || path[at] === 0x2f) {
      if (at > start) components.push(path.subarray(start, at));
      start = at + 1;
    }
  }
  return components;
}

function isDotName(name: Buffer): boolean {
  return name[0] === 0x2e && (name.length === 1 || (name.length === 2 && name[1] === 0x2e));
}

/** The guest path the walk would build for these components. */
export function joinComponents(components: readonly Buffer[]): Buffer {
  return components.reduce<Buffer>((path, name) => joinGuestPath(path, name), ROOT_GUEST_PATH);
}

/**
 * Follows `path` below the open root `root` (not released here). Every component is decided
 * before it is looked at, as in the walk; an excluded one is still lstat'ed (no link followed), so
 * the caller can say whether it exists.
 */
export function tracePath(root: DirHandle, path: Buffer, decide: DecidePath): PathTrace {
  const components = splitGuestPath(path);
  const steps: TracedStep[] = [];
  const traced = joinComponents(components);
  if (components.length === 0) return { path: traced, steps, end: { kind: 'root' } };
  let dir = retainDir(root);
  try {
    let current: Buffer = ROOT_GUEST_PATH;
    for (let i = 0; i < components.length; i += 1) {
      const name = components[i]!;
      if (isDotName(name)) return { path: traced, steps, end: { kind: 'dot-component', name } };
      current = joinGuestPath(current, name);
      const step: TracedStep = { path: current, name, decision: decide(current) };
      steps.push(step);
      let stat: FileStat | undefined;
      try {
        stat = lstatAtIfExists(dir.fd, name);
      } catch (error) {
        return { path: traced, steps, end: { kind: 'lstat-failed', step, error: error as NodeJS.ErrnoException } };
      }
      if (stat !== undefined) step.stat = stat;
      if (step.decision.verdict !== 'include') return { path: traced, steps, end: { kind: 'excluded', step } };
      if (stat === undefined) return { path: traced, steps, end: { kind: 'missing', step } };
      if (i === components.length - 1) return { path: traced, steps, end: { kind: 'reached', step: { ...step, stat }, dir: retainDir(dir) } };
      if (stat.isSymbolicLink()) return { path: traced, steps, end: { kind: 'symlink', step, ...readTarget(dir, name) } };
      if (!stat.isDirectory()) return { path: traced, steps, end: { kind: 'not-directory', step } };
      let child: DirHandle;
      try {
        child = openChildDir(dir, name, stat);
      } catch (error) {
        return { path: traced, steps, end: { kind: 'dir-failed', step, error: error as NodeJS.ErrnoException } };
      }
      releaseDir(dir);
      dir = child;
    }
    throw new Error('unreachable: the last component ends the trace');
  } finally {
    releaseDir(dir);
  }
}

function readTarget(dir: DirHandle, name: Buffer): { target?: Buffer } {
  try {
    return { target: readlinkAt(dir.fd, name) };
  } catch {
    return {};
  }
}
