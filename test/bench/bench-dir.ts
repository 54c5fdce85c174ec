// Where the benchmark keeps its guests, tarballs, working copies and results (outside the repository).
import { join } from 'node:path';

/** The default cache directory; `VHASHIFY_BENCH_DIR` overrides it. */
export const DEFAULT_BENCH_DIR = '/var/tmp/vhashify-bench';

/** Every path the benchmark uses, derived from one root. */
export interface BenchLayout {
  root: string;
  /** Pristine tarballs of the real guests, one per guest. */
  pristineDir: string;
  /** Downloaded .deb files, shared by the debootstrap runs. */
  debCacheDir: string;
  /** Fresh working copies, the store and the inode index of the run in progress. */
  workDir: string;
  guestsDir: string;
  hashDir: string;
  storageRoot: string;
  indexCacheDir: string;
  /** Output of every measured command (kept until the next run). */
  logDir: string;
  /** The copy of the compiled product that is measured. */
  productDir: string;
}

/** Resolves the bench directory from the environment, as the issue asks. */
export function findBenchDir(env: Record<string, string | undefined>): string {
  const fromEnv = env['VHASHIFY_BENCH_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_BENCH_DIR;
}

/** Lays out the bench directory below `root`. */
export function createBenchLayout(root: string): BenchLayout {
  const workDir = join(root, 'work');
  const hashDir = join(workDir, 'hash');
  return {
    root,
    pristineDir: join(root, 'pristine'),
    debCacheDir: join(root, 'debs'),
    workDir,
    guestsDir: join(workDir, 'guests'),
    hashDir,
    storageRoot: join(hashDir, 'root'),
    indexCacheDir: join(workDir, 'index-cache'),
    logDir: join(root, 'logs'),
    productDir: join(root, 'product'),
  };
}

/** The pristine tarball of one real guest. */
export function formatTarballPath(layout: BenchLayout, guest: string): string {
  return join(layout.pristineDir, `${guest}.tar`);
}
