// Store entries whose protection flag a run cleared to link them, remembered until the flag is back:
// a run that dies (or loses the capability) in that window leaves the names for the next run.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileStat } from '../sys/file-stat.js';

/**
 * One file per storage root in the cache dir (beside the inode index; the store layout stays
 * upstream's): each line the name of an entry relative to the root. Appended before a flag is
 * cleared; emptied when a run ends with every flag back in place.
 */
export class ProtectionJournal {
  private fd: number | undefined;
  private dirty = false;

  private constructor(private readonly file: string) {}

  /** The journal of the storage root whose directory has `rootStat`. */
  static forRoot(cacheDir: string, rootStat: Pick<FileStat, 'dev' | 'ino' | 'birthtimeNs'>): ProtectionJournal {
    return new ProtectionJournal(join(cacheDir, `${rootStat.dev}-${rootStat.ino}-${rootStat.birthtimeNs}.unprotected`));
  }

  /** The entry names a previous run left (empty when it ended well, or never ran). */
  readPending(): Buffer[] {
    let data: Buffer;
    try {
      data = readFileSync(this.file);
    } catch {
      return [];
    }
    const names: Buffer[] = [];
    for (let from = 0; from < data.length;) {
      let end = data.indexOf(0x0a, from);
      if (end === -1) end = data.length; // a torn last line is still a name worth checking
      if (end > from) names.push(Buffer.from(data.subarray(from, end)));
      from = end + 1;
    }
    return names;
  }

  /**
   * Records `name` before its flag is cleared (one write; the file is created on first use). A cache
   * dir that cannot take it (read-only, full) does not stop the run: the window is microseconds, and
   * the next run's slow path also finds an unprotected entry when it meets a file linked to it.
   */
  add(name: Buffer): void {
    try {
      if (this.fd === undefined) {
        mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.file, 'a', 0o600);
      }
      writeSync(this.fd, Buffer.concat([name, Buffer.from('\n')]));
      this.dirty = true;
    } catch {
      // see above
    }
  }

  /** Every flag is back: forget the names (the file goes). */
  clear(): void {
    this.close();
    rmSync(this.file, { force: true });
    this.dirty = false;
  }

  /** Closes the file, keeping what it holds (a run that stops with a flag missing). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** True when this run recorded names it has not cleared. */
  get hasEntries(): boolean {
    return this.dirty;
  }
}
