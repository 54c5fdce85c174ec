// Lays out the demo in a fresh temporary directory: two guests, a hash dir with one storage root,
// and the default exclude list, the way an admin would set them up.
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DemoEntry } from './demo-files.js';

/** Where the demo's parts live (all below `dir`). */
export interface DemoSite {
  dir: string;
  guests: [string, string];
  hashDir: string;
  /** The storage root's real directory (`hashDir/root` is a symlink to it). */
  store: string;
  excludeList: string;
  cacheDir: string;
}

/** Writes one guest below `root`; modes and times are set explicitly, so the umask does not matter. */
export function createGuestTree(root: string, entries: readonly DemoEntry[]): void {
  mkdirSync(root, { mode: 0o755 });
  for (const entry of entries) {
    const path = join(root, entry.path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    if (entry.kind === 'symlink') {
      symlinkSync(entry.target, path);
      continue;
    }
    writeFileSync(path, entry.content, { mode: entry.mode });
    utimesSync(path, entry.mtime, entry.mtime);
  }
}

/**
 * Creates the site in a new directory below the system's temporary directory. The hash dir holds
 * `method` (sha1) and the storage root `root -> ../store`, the documented layout.
 */
export function createDemoSite(guests: readonly [DemoEntry[], DemoEntry[]], excludeSource: string): DemoSite {
  const dir = mkdtempSync(join(tmpdir(), 'vhashify-demo-'));
  const site: DemoSite = {
    dir,
    guests: [join(dir, 'guest1'), join(dir, 'guest2')],
    hashDir: join(dir, 'hash'),
    store: join(dir, 'store'),
    excludeList: join(dir, 'vunify-exclude'),
    cacheDir: join(dir, 'cache'),
  };
  createGuestTree(site.guests[0], guests[0]);
  createGuestTree(site.guests[1], guests[1]);
  mkdirSync(site.hashDir, { mode: 0o755 });
  writeFileSync(join(site.hashDir, 'method'), 'sha1\n');
  mkdirSync(site.store, { mode: 0o755 });
  symlinkSync('../store', join(site.hashDir, 'root'));
  copyFileSync(excludeSource, site.excludeList);
  return site;
}
