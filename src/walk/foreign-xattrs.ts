// Files whose extended attributes a shared inode would lose or spread: they stay private.
import { listXattrs } from '../sys/xattrs.js';
import { isSysError } from '../sys/sys-error.js';

/** The one attribute a shared entry may carry: the SELinux label (copied to new entries). */
export const SELINUX_XATTR = Buffer.from('security.selinux');

/**
 * IMPROVEMENT over QUIRK Q28: upstream's copy drops every extended attribute, so a guest's `ping`
 * loses `security.capability`, and ACLs and `user.*` attributes vanish. A file (or store entry)
 * that carries any attribute but `security.selinux` is never shared: true for such an open file.
 * A file system without extended attributes has none.
 */
export function hasForeignXattrs(fd: number): boolean {
  let names: Buffer[];
  try {
    names = listXattrs(fd);
  } catch (error) {
    if (isSysError(error, 'EOPNOTSUPP') || isSysError(error, 'ENOTSUP')) return false;
    throw error;
  }
  return names.some((name) => !name.equals(SELINUX_XATTR));
}
