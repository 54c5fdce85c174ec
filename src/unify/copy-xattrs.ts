// The extended attributes a copy carries over: every one for a guest's private copy (--unhashify,
// --clone, --audit --fix), only the SELinux label for a store entry (spec 8.6: it is the one
// attribute a shared entry may carry, walk/foreign-xattrs.ts).
import { isSysError } from '../sys/sys-error.js';
import { getXattr, listXattrs, setXattr } from '../sys/xattrs.js';
import { SELINUX_XATTR } from '../walk/foreign-xattrs.js';

/**
 * Copies every extended attribute of the open `src` to the open `dest` (directories too): file
 * capabilities, ACLs, `user.*`, `trusted.*`, the SELinux label. A source file system without
 * attributes has none; one that `dest` cannot take throws (nothing is silently dropped).
 */
export function copyXattrs(src: number, dest: number): void {
  let names: Buffer[];
  try {
    names = listXattrs(src);
  } catch (error) {
    if (isSysError(error, 'EOPNOTSUPP') || isSysError(error, 'ENOTSUP')) return;
    throw error;
  }
  for (const name of names) {
    const value = getXattr(src, name);
    if (value !== undefined) setXattr(dest, name, value);
  }
}

/** Copies the SELinux label of `src` to `dest`; a file system without labels has none. */
export function copySelinuxLabel(src: number, dest: number): void {
  let label: Buffer | undefined;
  try {
    label = getXattr(src, SELINUX_XATTR);
  } catch (error) {
    if (isSysError(error, 'EOPNOTSUPP') || isSysError(error, 'ENOTSUP')) return;
    throw error;
  }
  if (label !== undefined) setXattr(dest, SELINUX_XATTR, label);
}
