// Which inodes the run itself has replaced lately, so work planned before that can be recognised as stale.
import type { FileStat } from '../sys/file-stat.js';

type Identity = Pick<FileStat, 'dev' | 'ino'>;

/** Only replacements newer than the oldest pending entry matter; the window bounds how many that is. */
const KEEP = 4096;

/**
 * Hashing runs ahead of the commit point. If a commit replaces an inode that a later pending entry
 * also names (the same directory seen twice through a bind mount), that entry's lstat is stale and
 * must be looked at again when its turn comes. Entries remember `sequence` when planned.
 */
export class ReplacedInodes {
  /** Number of replacements so far. */
  sequence = 0;
  private readonly seqByInode = new Map<string, number>();
  private readonly order: string[] = [];

  /** Records that the name holding this inode now holds another one. */
  add(stat: Identity): void {
    this.sequence += 1;
    const key = `${stat.dev}:${stat.ino}`;
    this.seqByInode.set(key, this.sequence);
    this.order.push(key);
    if (this.order.length > KEEP) {
      const old = this.order.shift()!;
      if (this.seqByInode.get(old)! <= this.sequence - KEEP) this.seqByInode.delete(old);
    }
  }

  /** True when this inode was replaced after an entry planned at `plannedAt` saw it. */
  isStale(stat: Identity, plannedAt: number): boolean {
    const seq = this.seqByInode.get(`${stat.dev}:${stat.ino}`);
    return seq !== undefined && seq > plannedAt;
  }
}
