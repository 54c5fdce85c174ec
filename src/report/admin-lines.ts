// The lines of the guest administration modes (--unhashify, --unshared, --clone): ours, not
// upstream's, laid out like upstream's so that a log of both reads as one.
import { concatBytes } from '../store/byte-text.js';

/** Figures of an --unhashify run (a dry run counts the same way). */
export interface UnhashifyStats {
  /** Guest names that now are (or would be) private copies. */
  files: number;
  /** Private copies made: one per store entry the guest shared. */
  copies: number;
  copiedBytes: bigint;
  /** Guest names left sharing their entry (each with a line on stderr). */
  failures: number;
  /** `name;XXXXXX` links a crashed hashify left beside their owner, removed. */
  leftoversRemoved: number;
  /** Directories that could not be entered. */
  failedDirs: number;
}

/** A record with every counter at zero. */
export function createUnhashifyStats(): UnhashifyStats {
  return { files: 0, copies: 0, copiedBytes: 0n, failures: 0, leftoversRemoved: 0, failedDirs: 0 };
}

/** `unsharing  '/path'` (aligned with `unifying   '`), from -v2 or in a dry run; the entry from -v4. */
export function formatUnsharingLine(path: Buffer, entryPath: string, verbosity: number, dryRun: boolean): Buffer | undefined {
  if (!dryRun && verbosity < 2) return undefined;
  return concatBytes("unsharing  '", path, verbosity >= 4 ? `' (from '${entryPath}')\n` : "'\n");
}

/** The summary of one guest (or tree): from -v1, and in a dry run. */
export function formatUnhashifySummary(what: Buffer, stats: UnhashifyStats, dryRun: boolean): Buffer {
  const verb = dryRun ? 'would be made private again' : 'made private again';
  const failed = stats.failures > 0 ? `, ${stats.failures} left shared` : '';
  return concatBytes("vhashify: '", what, `': ${stats.files} files ${verb} (${stats.copies} copies, ${stats.copiedBytes} bytes)${failed}\n`);
}

/** Figures of a --clone run. */
export interface CloneStats {
  /** Files linked to their store entry. */
  linked: number;
  /** Files copied, and their bytes. */
  copied: number;
  copiedBytes: bigint;
  /** Further names of a file copied once (hard links inside the source tree, kept). */
  hardLinked: number;
  directories: number;
  symlinks: number;
  /** Device nodes, FIFOs, sockets. */
  special: number;
  /** Directories on another file system than the source's root, created empty. */
  mountPoints: number;
  /** Entries that could not be cloned (each with a line on stderr). */
  failures: number;
}

/** A record with every counter at zero. */
export function createCloneStats(): CloneStats {
  return { linked: 0, copied: 0, copiedBytes: 0n, hardLinked: 0, directories: 0, symlinks: 0, special: 0, mountPoints: 0, failures: 0 };
}

/** `linking    '/path'` or `copying    '/path'`, from -v2 (a dry run prints no lines, only its summary). */
export function formatCloneLine(kind: 'linking' | 'copying', path: Buffer, verbosity: number): Buffer | undefined {
  if (verbosity < 2) return undefined;
  return concatBytes(kind === 'linking' ? "linking    '" : "copying    '", path, "'\n");
}

/** The summary of a clone, always printed (it is what the admin asked for). */
export function formatCloneSummary(source: Buffer, dest: Buffer, stats: CloneStats, dryRun: boolean): Buffer {
  const parts = [
    `${stats.linked} files linked to the store`,
    `${stats.copied} copied (${stats.copiedBytes} bytes)`,
    ...(stats.hardLinked > 0 ? [`${stats.hardLinked} hard links kept`] : []),
    `${stats.directories} directories`,
    `${stats.symlinks} symbolic links`,
    `${stats.special} other files`,
    ...(stats.mountPoints > 0 ? [`${stats.mountPoints} mount points left empty`] : []),
    ...(stats.failures > 0 ? [`${stats.failures} failed`] : []),
  ];
  return concatBytes(`vhashify: ${dryRun ? 'would clone' : 'cloned'} '`, source, "' to '", dest, `': ${parts.join(', ')}\n`);
}

/** The line that ends an --unshared run, always printed: what was made private, the command's status, the second hashify. */
export function formatUnsharedSummary(guest: Buffer, madePrivate: number, commandStatus: number | undefined, rehashed: { exitCode: number; linked: number }): Buffer {
  const ran = commandStatus === undefined ? 'the command was not run' : `the command exited with status ${commandStatus}`;
  const again = rehashed.exitCode === 0 ? `hashified again (${rehashed.linked} files unified)` : `hashifying it again failed (exit status ${rehashed.exitCode})`;
  return concatBytes("vhashify: guest '", guest, `': ${madePrivate} files made private, ${ran}, ${again}\n`);
}
