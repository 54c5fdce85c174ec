// `vhashify --audit`: re-hashes the entries of each store in scope (all, or a random sample) and
// reports every one whose content or attributes no longer give its name, with the guest paths that
// link it. Reading needs no lock; `--fix` takes it before it changes anything and looks again.
import type { CommandLine } from '../cli/command-line.js';
import {
  formatAuditJson, formatAuditSummary, formatDamagedEntry, type AuditStoreReport, type DamagedEntry,
} from '../report/audit-report.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes } from '../store/byte-text.js';
import { checkEntryName } from '../store/check-entry-name.js';
import type { FileStat } from '../sys/file-stat.js';
import { openRootDir, releaseDir } from '../walk/dir-handle.js';
import { findInodeNames, formatInodeKey, releaseInodeNames, type InodeName, type InodeNames } from '../walk/find-inode-names.js';
import { resolveAdminScope, type AdminStore } from './admin-scope.js';
import { fixDamagedEntry } from './fix-damaged-entry.js';
import { openAdminStore, type AdminRoot, type OpenedAdminStore } from './open-admin-store.js';
import { refuseLayoutProblems } from './refuse-misconfiguration.js';
import { takeStoreLock } from './take-store-lock.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** One entry name to check. */
interface Candidate {
  root: AdminRoot;
  name: Buffer;
  ino: bigint;
}

/** A damaged entry while the run works on it. */
interface Finding {
  candidate: Candidate;
  stat: FileStat;
  report: DamagedEntry;
}

/** Runs the audit; exit status 1 when anything is wrong (damage, unreadable entries, a fix that failed), 75 when busy with --no-wait. */
export async function runAudit(cmd: CommandLine, env: RunEnvironment, sample?: number): Promise<RunResult> {
  const resolved = resolveAdminScope('audit', cmd, env);
  if (!resolved.ok) return { exitCode: resolved.exitCode };
  const { scope } = resolved;
  const reports: AuditStoreReport[] = [];
  let exitCode = scope.failed > 0 ? 1 : 0;
  for (const store of scope.stores) {
    if (cmd.fix && !cmd.dryRun) {
      const refused = refuseLayoutProblems(store.hashDir, scope.suggestedStore);
      if (refused !== undefined) {
        env.out.err(refused.message);
        exitCode = 1;
        continue;
      }
    }
    const opened = openAdminStore(store, env);
    if (opened === undefined) {
      exitCode = 1;
      continue;
    }
    try {
      const outcome = await auditStore(store, opened, cmd, env, sample);
      if (typeof outcome === 'number') {
        if (exitCode === 0 || outcome !== 75) exitCode = outcome;
        continue;
      }
      reports.push(outcome);
      const fixFailed = outcome.damaged.some((d) => d.fix === undefined || d.fix.problems.length > 0);
      if (outcome.damaged.length > 0 || outcome.unreadable.length > 0 || fixFailed) exitCode = 1;
    } finally {
      opened.close();
    }
  }
  if (cmd.json) env.out.out(formatAuditJson(reports, { dryRun: cmd.dryRun, fix: cmd.fix }));
  if (!cmd.fix && env.hints && reports.some((r) => r.damaged.length > 0)) {
    env.out.err("vhashify: give the guests that link a damaged entry their own copies with '--audit --fix'; the 'immutable' policy keeps guests from writing shared files.\n");
  }
  return { exitCode };
}

async function auditStore(store: AdminStore, opened: OpenedAdminStore, cmd: CommandLine, env: RunEnvironment, sample?: number): Promise<AuditStoreReport | number> {
  const all: Candidate[] = opened.roots.flatMap((root) => root.inventory.entries.map((e) => ({ root, name: e.name, ino: e.ino })));
  const chosen = sample === undefined || sample >= all.length ? all : pickSample(all, sample);
  const report: AuditStoreReport = { hashDir: store.printed, entries: all.length, checked: 0, matchingIgnoringMtime: 0, placeholders: 0, damaged: [], unreadable: [] };
  let findings: Finding[] = [];
  for (const candidate of chosen) {
    const checked = checkEntryName(candidate.root.fd, candidate.name, opened.opened.config.algorithm);
    if (checked.kind === 'gone') continue; // a run took it since the listing (a placeholder filled, a leftover reclaimed)
    report.checked += 1;
    const path = concatBytes(candidate.root.path, candidate.name);
    if (checked.kind === 'placeholder') report.placeholders += 1;
    else if (checked.kind === 'unreadable') report.unreadable.push({ path, reason: checked.reason });
    else if (checked.kind === 'matches') report.matchingIgnoringMtime += checked.ignoreMtime ? 1 : 0;
    // A second store name of an inode already found (entries linked to each other) is the same damage.
    else if (!findings.some((f) => f.candidate.root === candidate.root && f.candidate.ino === candidate.ino)) {
      findings.push({ candidate, stat: checked.stat, report: { path, stat: checked.stat, linkedBy: [], otherLinks: 0n } });
    }
  }
  for (const u of report.unreadable) env.out.err(concatBytes("vhashify: store entry '", u.path, `' cannot be checked: ${u.reason}\n`));
  if (findings.length === 0) return finish(report, cmd, env);
  const lock = cmd.fix ? await takeStoreLock(store.hashDir, cmd, env.out) : undefined;
  if (lock?.kind === 'busy') return 75;
  try {
    // Under the lock, only what is still damaged is fixed (a run may have replaced an entry meanwhile).
    if (lock?.lock !== undefined) findings = recheck(findings, opened);
    const found = findGuestNames(store, findings, env);
    try {
      for (const f of findings) {
        const names = found.get(formatInodeKey(f.stat.dev, f.stat.ino)) ?? [];
        f.report.linkedBy = names.map((n) => ({ guest: n.guest, path: n.name.path }));
        const storeNames = f.candidate.root.inventory.namesOf(f.candidate.ino) ?? [f.candidate.name];
        const outside = f.stat.nlink - BigInt(storeNames.length) - BigInt(names.length);
        f.report.otherLinks = outside > 0n ? outside : 0n;
        if (cmd.fix) f.report.fix = applyFix(f, storeNames, names, cmd, env);
        report.damaged.push(f.report);
      }
    } finally {
      for (const names of found.values()) for (const n of names) releaseDir(n.name.dir);
    }
  } finally {
    lock?.lock?.release();
  }
  return finish(report, cmd, env);
}

function finish(report: AuditStoreReport, cmd: CommandLine, env: RunEnvironment): AuditStoreReport {
  if (!cmd.json) {
    for (const d of report.damaged) env.out.out(formatDamagedEntry(d, cmd.dryRun));
    env.out.out(formatAuditSummary(report, cmd.dryRun));
  }
  return report;
}

function recheck(findings: Finding[], opened: OpenedAdminStore): Finding[] {
  return findings.flatMap((f) => {
    const again = checkEntryName(f.candidate.root.fd, f.candidate.name, opened.opened.config.algorithm);
    return again.kind === 'damaged' ? [{ ...f, stat: again.stat, report: { ...f.report, stat: again.stat } }] : [];
  });
}

/** A guest's name of a damaged inode. */
interface GuestName {
  guest: Buffer;
  name: InodeName;
}

/** Walks every guest in scope once for the names of all damaged inodes (keyed `dev:ino`). */
function findGuestNames(store: AdminStore, findings: readonly Finding[], env: RunEnvironment): Map<string, GuestName[]> {
  const wanted = new Map<bigint, Set<bigint>>();
  for (const f of findings) {
    const set = wanted.get(f.stat.dev) ?? new Set<bigint>();
    set.add(f.stat.ino);
    wanted.set(f.stat.dev, set);
  }
  const byInode = new Map<string, GuestName[]>();
  for (const g of store.guests) {
    let root;
    try {
      root = openRootDir(g.root);
    } catch (error) {
      env.out.err(concatBytes("vhashify: guest '", g.label, `' cannot be entered (${formatErrno(error)}); its paths are not named\n`));
      continue;
    }
    let found: InodeNames | undefined;
    try {
      found = findInodeNames(root, wanted);
      for (const dir of found.failedDirs) env.out.err(concatBytes("vhashify: '", g.label, "': '", dir, "' cannot be read; names in it are not listed\n"));
      for (const [key, names] of found.byInode) {
        const list = byInode.get(key) ?? [];
        list.push(...names.map((name) => ({ guest: g.label, name })));
        byInode.set(key, list);
      }
      found.byInode.clear();
    } finally {
      if (found !== undefined) releaseInodeNames(found);
      releaseDir(root);
    }
  }
  return byInode;
}

function applyFix(f: Finding, storeNames: Buffer[], names: readonly GuestName[], cmd: CommandLine, env: RunEnvironment): NonNullable<DamagedEntry['fix']> {
  const guests: Buffer[] = [];
  const byGuest: Array<{ guest: Buffer; names: InodeName[] }> = [];
  for (const n of names) {
    let entry = byGuest.find((b) => b.guest.equals(n.guest));
    if (entry === undefined) {
      entry = { guest: n.guest, names: [] };
      byGuest.push(entry);
      guests.push(n.guest);
    }
    entry.names.push(n.name);
  }
  if (cmd.dryRun) return { guests, removed: true, problems: [] };
  return fixDamagedEntry({ rootFd: f.candidate.root.fd, storeNames, byGuest, cacheDir: env.cacheDir });
}

/** `n` of the candidates, chosen uniformly at random (a partial Fisher–Yates shuffle), in listing order. */
function pickSample(all: readonly Candidate[], n: number): Candidate[] {
  const indexes = all.map((_c, i) => i);
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(Math.random() * (indexes.length - i));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes.slice(0, n).sort((a, b) => a - b).map((i) => all[i]!);
}
