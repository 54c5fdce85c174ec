// "Saved", defined once for every report (issue 11): the allocated bytes (st_blocks × 512) that the
// files of a scope (a guest, the guests of a run, every guest of a store) would use without sharing,
// minus what they use now, counting each inode once; "page cache shared" is the same over st_size.
import type { FileStat } from '../sys/file-stat.js';

/** Saved bytes of a scope: on disk (allocated) and in the page cache (apparent sizes). */
export interface SharingFigures {
  /** Regular files counted. */
  files: number;
  /** Distinct inodes among them. */
  inodes: number;
  savedBytes: bigint;
  pageCacheSharedBytes: bigint;
}

/**
 * Adds up files as a walk meets them. A file with a single link uses what it would use anyway, so
 * it cancels out of the difference; only files with more than one link are remembered (by device
 * and inode): memory grows with the shared files, not with all of them.
 */
export class SharingTally {
  private files = 0;
  private privateFiles = 0;
  private sharedAllocated = 0n;
  private sharedApparent = 0n;
  private readonly inodes = new Map<string, { blocks: bigint; size: bigint }>();

  /** Counts one regular file of the scope. */
  addFile(stat: Pick<FileStat, 'dev' | 'ino' | 'nlink' | 'blocks' | 'size'>): void {
    this.files += 1;
    if (stat.nlink < 2n) {
      this.privateFiles += 1;
      return;
    }
    this.sharedAllocated += stat.blocks * 512n;
    this.sharedApparent += stat.size;
    const key = `${stat.dev}:${stat.ino}`;
    if (!this.inodes.has(key)) this.inodes.set(key, { blocks: stat.blocks, size: stat.size });
  }

  /** The figures so far. */
  read(): SharingFigures {
    let allocatedNow = 0n;
    let apparentNow = 0n;
    for (const { blocks, size } of this.inodes.values()) {
      allocatedNow += blocks * 512n;
      apparentNow += size;
    }
    return {
      files: this.files,
      inodes: this.privateFiles + this.inodes.size,
      savedBytes: this.sharedAllocated - allocatedNow,
      pageCacheSharedBytes: this.sharedApparent - apparentNow,
    };
  }
}
