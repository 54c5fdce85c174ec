// After every run: did the tool reach the expected sharing without changing any file? Fails loudly if not.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { walkGuestFiles, type FileFacts, type GuestDir, type IsExcluded, type Manifest } from './manifest.js';

/**
 * Which files a tool must share: ours skips excluded paths and files with extended attributes it
 * keeps private; upstream's skips excluded paths only (it unifies those files and drops their
 * attributes, Q28); hardlink skips neither. All skip files under 16 bytes.
 */
export type SharingPolicy = 'ours' | 'upstream' | 'hardlink';

/** The outcome of one check. */
export interface SharingReport {
  files: number;
  /** Files the tool had to share, and the groups of identical content and metadata they form. */
  eligible: number;
  groups: number;
  problems: number;
  /** The first few problems, one line each. */
  examples: string[];
}

/** The store as found after our run: its entries' inodes. */
export interface StoreContents {
  entries: number;
  inodes: ReadonlySet<string>;
}

const MAX_EXAMPLES = 20;

/** Whether a file must end up shared with every identical file (same content, size, mode, owner, mtime). */
export function isEligible(facts: FileFacts, policy: SharingPolicy): boolean {
  if (facts.size < 16 || policy === 'hardlink') return facts.size >= 16;
  return !facts.excluded && !(policy === 'ours' && facts.keptPrivate);
}

/** The incremental check: feed every file found after the run, then finish. */
export function createSharingCheck(pristine: Manifest, policy: SharingPolicy, store?: StoreContents) {
  const groupInode = new Map<string, { inode: string; key: string }>();
  const seen = new Set<string>();
  const report: SharingReport = { files: 0, eligible: 0, groups: 0, problems: 0, examples: [] };
  const problem = (text: string): void => {
    report.problems += 1;
    if (report.examples.length < MAX_EXAMPLES) report.examples.push(text);
  };
  return {
    visit(key: string, after: FileFacts): void {
      report.files += 1;
      const before = pristine.get(key);
      if (before === undefined) return problem(`${key}: a file that was not there before`);
      seen.add(key);
      const changed = findChangedFact(before, after);
      if (changed !== undefined) return problem(`${key}: ${changed} changed`);
      if (!isEligible(before, policy)) {
        if (after.nlink !== before.nlink) problem(`${key}: not to be touched, but its link count went from ${before.nlink} to ${after.nlink}`);
        return;
      }
      report.eligible += 1;
      const group = `${before.digest}/${before.size}/${before.mode}/${before.uid}/${before.gid}/${before.mtimeSec}`;
      const first = groupInode.get(group);
      if (first === undefined) groupInode.set(group, { inode: after.inode, key });
      else if (first.inode !== after.inode) problem(`${key}: identical to ${first.key} but not the same inode`);
      if (store !== undefined && !store.inodes.has(after.inode)) problem(`${key}: not linked to a store entry`);
    },
    finish(): SharingReport {
      for (const key of pristine.keys()) if (!seen.has(key)) problem(`${key}: missing after the run`);
      report.groups = groupInode.size;
      if (store !== undefined && store.entries !== groupInode.size) {
        problem(`the store holds ${store.entries} entries for ${groupInode.size} groups of identical files`);
      }
      return report;
    },
  };
}

/** Which of content, size, mode, owner or mtime differs (the first found), if any. */
export function findChangedFact(before: FileFacts, after: FileFacts): string | undefined {
  if (after.digest !== before.digest) return 'content';
  if (after.size !== before.size) return 'size';
  if (after.mode !== before.mode) return 'mode';
  if (after.uid !== before.uid || after.gid !== before.gid) return 'owner';
  if (after.mtimeSec !== before.mtimeSec) return 'mtime';
  return undefined;
}

/** Lists the store's entries (files below the storage root). */
export function readStoreContents(storageRoot: string): StoreContents {
  const inodes = new Set<string>();
  let entries = 0;
  const stack = [storageRoot];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path, { bigint: true });
      if (stat.isDirectory()) stack.push(path);
      else {
        entries += 1;
        inodes.add(`${stat.dev}:${stat.ino}`);
      }
    }
  }
  return { entries, inodes };
}

/** Walks the guests after a run and checks them against the pristine manifest. */
export function checkTreeSharing(pristine: Manifest, guests: readonly GuestDir[], isExcluded: IsExcluded, policy: SharingPolicy, storageRoot?: string): SharingReport {
  const check = createSharingCheck(pristine, policy, storageRoot === undefined ? undefined : readStoreContents(storageRoot));
  walkGuestFiles(guests, isExcluded, (key, facts) => check.visit(key, facts));
  return check.finish();
}

/** Throws with the examples when a report has problems. */
export function assertSharing(report: SharingReport, what: string): void {
  if (report.problems === 0) return;
  throw new Error(`${what}: sharing check failed with ${report.problems} problem(s):\n  ${report.examples.join('\n  ')}`);
}
