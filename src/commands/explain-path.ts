// The body of `--explain`: follow the path from the tree's root as the walk would, say which list
// entry decides each component, and for a file that is reached, what a run would do with it.
import type { CommandLine } from '../cli/command-line.js';
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { createMatchList } from '../exclude/match-list.js';
import type { SkipReason } from '../report/events.js';
import {
  formatDecision, formatEntryType, formatFileFacts, formatLabelled, quotePath,
} from '../report/explain-lines.js';
import { formatQuotedMessage } from '../report/quoted-message.js';
import { formatErrno } from '../report/strerror.js';
import { formatEntryLine } from '../report/upstream-lines.js';
import { concatBytes } from '../store/byte-text.js';
import { explainLayoutProblem } from '../store/layout-problems.js';
import { readlinkAt } from '../sys/link-ops.js';
import { createNoProtection } from '../unify/protection.js';
import { openRootDir, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { tracePath, type PathTrace, type TracedStep } from '../walk/trace-path.js';
import { createProtection } from './choose-protection.js';
import type { StoreInspection } from './inspect-store.js';
import { closePlanRoots, openPlanRoots, planFile, type FilePlan, type SkipCause } from './plan-file.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** What the path is explained against: the tree, the match list's entries and the store. */
export interface ExplainSubject {
  /** `in guest 'g1' (root '/vservers/g1')`, or the manual-mode tree. */
  heading: Buffer;
  /** The directory the walk starts in. */
  root: Buffer;
  /** The match list's entries in order (package config files first). */
  rules: ExcludeRule[];
  /** The lists, described in one line. */
  lists: Buffer;
  /** What would stop a run before it changes anything (one sentence each). */
  problems: Buffer[];
  store?: StoreInspection;
}

/** Explains `path` and prints the explanation on stdout; exit 0 once it is printed. */
export async function explainPath(subject: ExplainSubject, path: Buffer, cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const matchList = createMatchList(subject.rules);
  let root: DirHandle;
  try {
    root = openRootDir(subject.root);
  } catch (error) {
    env.out.err(`chdir(): ${formatErrno(error)}\n`);
    return { exitCode: 1 };
  }
  try {
    const trace = tracePath(root, path, (p) => matchList.decide(p));
    const lines: Buffer[] = [
      formatLabelled('explain', concatBytes(quotePath(trace.path), ' ', subject.heading)),
      formatLabelled('lists', concatBytes(subject.lists, '; the first entry that matches a path decides')),
    ];
    for (const problem of [...subject.problems, ...listStoreProblems(subject.store)]) {
      lines.push(formatLabelled('problem', concatBytes('a run stops before it changes anything: ', problem)));
    }
    for (const step of trace.steps) lines.push(formatStep(step, trace));
    lines.push(...(await explainEnd(trace, subject, cmd, env)));
    env.out.out(Buffer.concat(lines));
  } finally {
    releaseDir(root);
  }
  return { exitCode: 0 };
}

function listStoreProblems(store: StoreInspection | undefined): Buffer[] {
  if (store === undefined) return [];
  const problems: Buffer[] = [];
  if (!store.config.ok) problems.push(Buffer.concat(store.config.messages.map((m, i) => concatBytes(i === 0 ? '' : '\n', m))));
  if ('error' in store.roots) problems.push(store.roots.error);
  for (const layout of store.layout) {
    problems.push(concatBytes(explainLayoutProblem(layout, '/vservers/.hash').what, ' (vhashify --check prints the commands that fix it)'));
  }
  if (!store.policy.ok) problems.push(formatQuotedMessage(store.policy.message));
  return problems;
}

function isLast(step: TracedStep, trace: PathTrace): boolean {
  return step.path.equals(trace.path);
}

// `'/usr': a directory, included: no entry matches it; the walk enters it`
function formatStep(step: TracedStep, trace: PathTrace): Buffer {
  const decision = formatDecision(step.decision);
  if (step.stat === undefined) {
    if (trace.end.kind === 'lstat-failed') return formatLabelled(quotePath(step.path), concatBytes('cannot be examined; ', decision));
    return formatLabelled(quotePath(step.path), concatBytes('no such entry (', decision, ')'));
  }
  const enters = !isLast(step, trace) && step.stat.isDirectory() && step.decision.verdict === 'include' && trace.end.kind !== 'dir-failed';
  return formatLabelled(quotePath(step.path), concatBytes(formatEntryType(step.stat), ', ', decision, enters ? '; the walk enters it' : ''));
}

// A line as a run would print it, and the -v level from which it does.
function formatOutput(line: Buffer | undefined, level: number): Buffer[] {
  if (line === undefined) return [];
  return [formatLabelled(`output (-${'v'.repeat(level)})`, line.subarray(0, line.length - 1))];
}

function formatSkipOutput(path: Buffer, reason: SkipReason): Buffer[] {
  const level = reason === 'symlink' ? 6 : reason === 'already unified' ? 3 : 2;
  return formatOutput(formatEntryLine({ kind: 'skip', path, reason, isDotfile: false, isSymlink: reason === 'symlink' }, { verbosity: level, dryRun: false }), level);
}

async function explainEnd(trace: PathTrace, subject: ExplainSubject, cmd: CommandLine, env: RunEnvironment): Promise<Buffer[]> {
  const outcome = (text: string | Buffer): Buffer => formatLabelled('outcome', text);
  const end = trace.end;
  switch (end.kind) {
    case 'root':
      return [outcome('the root of the tree: the walk starts there; it is never matched against the lists or hashified')];
    case 'dot-component':
      return [outcome(concatBytes(quotePath(end.name), ' entries are listed by the walk (reason dotfile) but never entered; give the path without them'))];
    case 'excluded': {
      const lines = isLast(end.step, trace)
        ? [outcome(end.step.stat?.isDirectory() === true
          ? 'skipped (excluded): the walk does not enter it, so nothing below it is hashified either'
          : 'skipped (excluded): hashify leaves it alone')]
        : [outcome(concatBytes('never reached: the walk does not enter the excluded directory ', quotePath(end.step.path), ', so nothing below it is hashified'))];
      return [...lines, ...(end.step.stat === undefined ? [] : formatSkipOutput(end.step.path, 'excluded'))];
    }
    case 'missing':
      return [outcome(isLast(end.step, trace) ? 'nothing to do: there is no such entry in the tree' : concatBytes('never reached: ', quotePath(end.step.path), ' does not exist'))];
    case 'lstat-failed':
      return [outcome(`skipped (fstat error): ${formatErrno(end.error)}`), ...formatSkipOutput(end.step.path, 'fstat error')];
    case 'symlink':
      return [outcome(concatBytes(
        'never reached: ', quotePath(end.step.path), ' is a symbolic link', end.target === undefined ? '' : concatBytes(' to ', quotePath(end.target)),
        ', and the walk never follows links; explain the path it leads to inside the tree instead',
      ))];
    case 'not-directory':
      return [outcome(concatBytes('never reached: ', quotePath(end.step.path), ' is not a directory'))];
    case 'dir-failed':
      return [outcome(concatBytes(
        'never reached: the directory ', quotePath(end.step.path), ` cannot be entered (${formatErrno(end.error)}); a run reports it, skips what is below it and exits with status 1`,
      ))];
    case 'reached':
      try {
        return await explainReached(end.step, end.dir, subject, cmd, env);
      } finally {
        releaseDir(end.dir);
      }
  }
}

async function explainReached(step: TracedStep & { stat: NonNullable<TracedStep['stat']> }, dir: DirHandle, subject: ExplainSubject, cmd: CommandLine, env: RunEnvironment): Promise<Buffer[]> {
  const { stat } = step;
  if (stat.isDirectory()) {
    return [formatLabelled('outcome', 'a directory: the walk enters it and decides each entry in it on its own; directories are never hashified')];
  }
  const store = subject.store;
  const found = store?.roots;
  const usable = store !== undefined && store.config.ok && found !== undefined && !('error' in found);
  const roots = usable ? await openPlanRoots(found.roots, env.cacheDir) : [];
  try {
    const policy = store?.policy.ok === true ? store.policy.policy : undefined;
    const plan = planFile(dir.fd, step.name, stat, roots, {
      algorithm: store?.config.ok === true ? store.config.algorithm : 'sha256',
      refresh: cmd.refresh,
      ignoreMtime: cmd.ignoreMtime,
      mode: cmd.insecureLevel === 2 ? 'in-place' : 'copy',
      protection: policy === undefined ? createNoProtection() : createProtection(policy, []),
    });
    const lines: Buffer[] = [];
    if (stat.isFile()) lines.push(formatLabelled('file', formatFileFacts(stat)));
    else if (stat.isSymbolicLink()) lines.push(formatLabelled('file', formatEntryType(stat, readTarget(dir, step.name))));
    if (store !== undefined && stat.isFile()) lines.push(formatLabelled('store', formatStoreLine(store, roots.find((r) => r.dev === stat.dev)?.path)));
    if (!usable && plan.kind === 'skip' && plan.cause === 'no-root') {
      lines.push(formatLabelled('outcome', 'cannot tell which store entry: the store cannot be used (see the problem above)'));
      return lines;
    }
    lines.push(...formatPlan(plan, step.path));
    return lines;
  } finally {
    closePlanRoots(roots);
  }
}

function readTarget(dir: DirHandle, name: Buffer): Buffer | undefined {
  try {
    return readlinkAt(dir.fd, name);
  } catch {
    return undefined;
  }
}

function formatStoreLine(store: StoreInspection, rootPath: string | undefined): Buffer {
  const algorithm = store.config.ok ? store.config.algorithm : 'unknown algorithm';
  const root = rootPath === undefined ? 'no storage root on its file system' : `storage root '${rootPath}'`;
  const policy = store.policy.ok ? `protection ${store.policy.policy}${store.policySource === '' ? '' : ` (${store.policySource})`}` : 'no protection policy';
  return concatBytes(quotePath(store.printed), ` (${algorithm}), ${root}; ${policy}`);
}

const SKIP_WORDS: Record<SkipCause, string> = {
  symlink: 'skipped (symlink): symbolic links are never followed or hashified',
  special: 'skipped (non regular file): only regular files are hashified',
  'too-small': 'skipped (too small): files under 16 bytes are never hashified',
  unsupported: "skipped (operation not supported): the 'vserver' policy finds no support for the protection attributes (a kernel without Linux-VServer, or a file system without them)",
  busy: 'skipped (already unified): it carries the protection flag and has more than one link (--refresh looks at it again)',
  'no-root': 'skipped (no matching device): the hash dir has no storage root on its file system',
  indexed: "skipped (already unified): the inode index records it as a store entry, unchanged since, so its content is not read (--refresh reads it)",
  xattrs: 'skipped (extended attributes): it carries extended attributes other than its SELinux label, so it stays private',
  'hash-failed': 'skipped (general error): it cannot be hashified',
  'is-entry': 'skipped (already unified): it is the store entry',
  'slot-failed': 'skipped (general error): its store name cannot be looked up',
  differs: 'left alone: the store entry with its digest holds other bytes (a digest collision, or the entry was changed in place)',
  changed: 'left alone: it changed while it was being looked at',
};

function formatPlan(plan: FilePlan, path: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  if (plan.kind === 'create') {
    const how = plan.mode === 'copy'
      ? 'a copy of it becomes the entry and the file is replaced by a link to the copy'
      : '--sledgehammer: the file itself becomes the entry';
    lines.push(formatLabelled('outcome', concatBytes('a new store entry ', quotePath(plan.entryPath), `: ${how}`)));
  } else if (plan.kind === 'link') {
    lines.push(formatLabelled('outcome', concatBytes('linked to the existing store entry ', quotePath(plan.entryPath), ' (same attributes, and the bytes compare equal)')));
  } else {
    const where = plan.entryPath === undefined ? Buffer.alloc(0) : concatBytes(' ', quotePath(plan.entryPath));
    lines.push(formatLabelled('outcome', concatBytes(SKIP_WORDS[plan.cause], where)));
  }
  for (const message of plan.kind === 'skip' ? plan.messages ?? [] : []) lines.push(formatLabelled('stderr', message));
  if (plan.kind === 'skip' && plan.reason !== undefined) return [...lines, ...formatSkipOutput(path, plan.reason)];
  if (plan.kind === 'skip' && plan.entryPath === undefined) return lines;
  const entryPath = plan.kind === 'skip' ? plan.entryPath! : plan.entryPath;
  return [...lines, ...formatOutput(formatEntryLine({ kind: 'unifying', path, entryPath }, { verbosity: 4, dryRun: false }), 4)];
}
