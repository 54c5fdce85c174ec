// Produces the STATE listing of the vectors' README for a live fixture: every path below the root, labelled.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync, type BigIntStats } from 'node:fs';
import type { ListingEntry, StateEntry } from './tree-vectors.js';
import { resolveInRoot } from './tree-bytes.js';

/** Device and inode labels of one scenario; they must outlive single listings so equal labels mean equal inodes. */
export interface StateLabels {
  devices: Map<bigint, string>;
  inodes: Map<string, string>;
  nextInode: number;
  /** `i` in STATE listings; vserver.json's CONFIG listings count `c1`, `c2`, … in a label space of their own. */
  inodePrefix: string;
}

/** The wall-clock window of a scenario: a file whose mtime falls in it got its time from the clock ("now"). */
export interface ClockWindow {
  startSeconds: number;
}

/** Starts the labels of a scenario: the root's filesystem is `d1`, nothing else is known yet. */
export function createStateLabels(root: Buffer, inodePrefix = 'i'): StateLabels {
  return { devices: new Map([[lstatSync(root, { bigint: true }).dev, 'd1']]), inodes: new Map(), nextInode: 1, inodePrefix };
}

/** Opens a clock window now; call before the fixture is built so every later clock time falls inside. */
export function createClockWindow(): ClockWindow {
  return { startSeconds: Math.floor(Date.now() / 1000) - 1 };
}

/** Lists everything below `root` (mounts included) bytewise by path, labelling new devices and inodes in path order. */
export function readTreeState(root: Buffer, labels: StateLabels, clock: ClockWindow): StateEntry[] {
  const found: { path: Buffer; stat: BigIntStats }[] = [];
  const visit = (relative: Buffer | null): void => {
    const dir = relative === null ? root : resolveInRoot(root, relative);
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const path = relative === null ? name : Buffer.concat([relative, Buffer.from('/'), name]);
      const stat = lstatSync(resolveInRoot(root, path), { bigint: true });
      found.push({ path, stat });
      if (stat.isDirectory()) visit(path);
    }
  };
  visit(null);
  found.sort((a, b) => Buffer.compare(a.path, b.path));
  const nowSeconds = Math.floor(Date.now() / 1000) + 1;
  return found.map(({ path, stat }) => {
    const common = {
      path: path.toString('utf8'),
      type: classifyType(stat, path),
      mode: `0${stat.mode.toString(8)}`,
      uid: Number(stat.uid),
      gid: Number(stat.gid),
      dev: labelDevice(labels, stat.dev),
    };
    if (common.type === 'dir') return common;
    const linked = { ...common, inode: labelInode(labels, stat), nlink: Number(stat.nlink) };
    const absolute = resolveInRoot(root, path);
    if (common.type === 'symlink') return { ...linked, target: readlinkSync(absolute, { encoding: 'buffer' }).toString('utf8') };
    if (common.type === 'fifo') return linked;
    const mtime = computeSeconds(stat.mtimeNs);
    return {
      ...linked,
      size: Number(stat.size),
      mtime: mtime >= clock.startSeconds && mtime <= nowSeconds ? ('now' as const) : mtime,
      sha256: createHash('sha256').update(readFileSync(absolute)).digest('hex'),
    };
  });
}

/** One STATE (or CONFIG) entry as one line with the README's key order, for line diffs of listings. */
export function formatStateLine(entry: ListingEntry): string {
  const keys = ['path', 'type', 'mode', 'uid', 'gid', 'dev', 'inode', 'nlink', 'size', 'mtime', 'sha256', 'target'] as const;
  const ordered: Record<string, unknown> = {};
  for (const key of keys) if (entry[key] !== undefined) ordered[key] = entry[key];
  for (const key of Object.keys(entry)) if (!(key in ordered)) ordered[key] = (entry as unknown as Record<string, unknown>)[key];
  return JSON.stringify(ordered);
}

function classifyType(stat: BigIntStats, path: Buffer): StateEntry['type'] {
  if (stat.isDirectory()) return 'dir';
  if (stat.isFile()) return 'file';
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isFIFO()) return 'fifo';
  throw new Error(`unexpected file type (mode 0${stat.mode.toString(8)}) at ${path.toString()}`);
}

function labelDevice(labels: StateLabels, dev: bigint): string {
  let label = labels.devices.get(dev);
  if (label === undefined) {
    label = `d${labels.devices.size + 1}`;
    labels.devices.set(dev, label);
  }
  return label;
}

function labelInode(labels: StateLabels, stat: BigIntStats): string {
  const key = `${stat.dev}:${stat.ino}`;
  let label = labels.inodes.get(key);
  if (label === undefined) {
    label = `${labels.inodePrefix}${labels.nextInode++}`;
    labels.inodes.set(key, label);
  }
  return label;
}

// Floor division, so times before 1970 with a sub-second part still give st_mtime's whole seconds.
function computeSeconds(nanoseconds: bigint): number {
  const billion = 1_000_000_000n;
  const whole = nanoseconds / billion;
  return Number(nanoseconds < 0n && whole * billion !== nanoseconds ? whole - 1n : whole);
}
