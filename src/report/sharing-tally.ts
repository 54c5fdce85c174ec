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
 * it cancels out of the difference; only files with more than one link are remembered, by device
 * and inode, as one bigint in a Set (about 60 bytes each: a run over a million shared files keeps
 * this beside the rest of the run), their blocks and size summed when first met.
 */
export class SharingTally {
  private files = 0;
  private privateFiles = 0;
  private sharedAllocated = 0n;
  private sharedApparent = 0n;
  private distinctAllocated = 0n;
  private distinctApparent = 0n;
  private readonly inodes = new Set<bigint>();

  /** Counts one regular file of the scope. */
  addFile(stat: Pick<FileStat, 'dev' | 'ino' | 'nlink' | 'blocks' | 'size'>): void {
    this.files += 1;
    if (stat.nlink < 2n) {
      this.privateFiles += 1;
      return;
    }
    const bytes = stat.blocks * 512n;
    this.sharedAllocated += bytes;
    this.sharedApparent += stat.size;
    // Inode numbers are 64-bit: the device goes above them.
    const key = (stat.dev << 64n) | stat.ino;
    if (this.inodes.has(key)) return;
    this.inodes.add(key);
    this.distinctAllocated += bytes;
    this.distinctApparent += stat.size;
  }

  /** The figures so far. */
  read(): SharingFigures {
    return {
      files: this.files,
      inodes: this.privateFiles + this.inodes.size,
      savedBytes: this.sharedAllocated - this.distinctAllocated,
      pageCacheSharedBytes: this.sharedApparent - this.distinctApparent,
    };
  }
}
