// The file tests upstream applies to configuration paths (spec 2.2–2.4, 3.1, 5.1). These paths are
// the admin's, so symbolic links in them are followed, as upstream follows them.
import { accessSync, constants, lstatSync, statSync, type Stats } from 'node:fs';

/** `stat()` says directory (a symlink to a directory counts; a dangling one does not). */
export function isDirectoryPath(path: Buffer): boolean {
  return statOrUndefined(path, statSync)?.isDirectory() === true;
}

/** `stat()` says regular file. */
export function isRegularFilePath(path: Buffer): boolean {
  return statOrUndefined(path, statSync)?.isFile() === true;
}

/** `lstat()` says symbolic link, whether or not it leads anywhere. */
export function isSymlinkPath(path: Buffer): boolean {
  return statOrUndefined(path, lstatSync)?.isSymbolicLink() === true;
}

/** Something exists at the end of the path (`stat()` succeeds; a dangling symlink does not count). */
export function isExistingPath(path: Buffer): boolean {
  return statOrUndefined(path, statSync) !== undefined;
}

/** `access(path, R_OK)` succeeds (as root: the path exists, links followed). */
export function isReadablePath(path: Buffer): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

// Every failure (ENOENT, ENOTDIR, ELOOP, EACCES, …) means "the test is false", as in C.
function statOrUndefined(path: Buffer, stat: (p: Buffer) => Stats): Stats | undefined {
  try {
    return stat(path);
  } catch {
    return undefined;
  }
}
