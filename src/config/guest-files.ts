// Reading inside a guest tree that may be hostile: the small interface the package-database
// readers use. It never follows a symbolic link below the guest root and never opens anything
// but a directory or a regular file, so a guest cannot point us at host files or block us on a
// FIFO. The implementation is chosen by the caller (sys-guest-files.ts, on the system-call layer).

/** What is at a name inside a guest directory, without following a symlink. */
export type GuestEntryKind = 'file' | 'directory' | 'symlink' | 'other';

/** Why a guest path was refused or could not be read. */
export type GuestAccessCode = 'missing' | 'symlink' | 'not-directory' | 'not-regular' | 'too-large' | 'too-many' | 'io';

/** A refused or failed guest access; `path` names the place for messages (`<vdir>/var/lib/…`). */
export class GuestAccessError extends Error {
  constructor(
    readonly code: GuestAccessCode,
    readonly path: Buffer,
    detail: string,
    readonly cause?: NodeJS.ErrnoException,
  ) {
    super(`${path.toString()}: ${detail}`);
  }
}

/** An open directory of a guest tree; everything below it is reached relative to it. */
export interface GuestDir {
  /** A display path (`<vdir>/var/lib/dpkg/info`), never used to open anything. */
  readonly path: Buffer;
  /** Opens a directory below this one, one component at a time (`a/b/c`); no `..`, no symlinks. */
  openDir(relative: Buffer | string): GuestDir;
  /** What `name` (one component) is, or undefined when nothing has that name. */
  lookup(name: Buffer | string): GuestEntryKind | undefined;
  /** The names in this directory (no `.`/`..`), in readdir order; more than `limit` is an error. */
  listNames(limit: number): Buffer[];
  /** The whole content of the regular file `name`; one of more than `maxBytes` is an error. */
  readFile(name: Buffer | string, maxBytes: number): Buffer;
  /** Copies the regular file `name` to a new host file `dest` (created, mode 0600); returns its size. */
  copyFile(name: Buffer | string, dest: string, maxBytes: number): number;
  close(): void;
}

/** Opens a guest root (the admin's path: symlinks in it are followed, like vdir itself). */
export type OpenGuestRoot = (root: Buffer) => GuestDir;
