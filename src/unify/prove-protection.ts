// Before a run touches anything, each storage root must show that it takes the protection the run
// claims (DESIGN: a protection that is claimed is applied).
import { formatErrno } from '../report/strerror.js';
import { FS_IMMUTABLE_FL, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDWR } from '../sys/constants.js';
import { getInodeFlags, setInodeFlags } from '../sys/inode-flags.js';
import { unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt, openTmpFileIn } from '../sys/open-at.js';
import { isSysError } from '../sys/sys-error.js';
import { IATTR_IMMUTABLE, IATTR_IUNLINK, setVserverIattrAt } from '../sys/vserver-attrs.js';
import { computeTempSuffix } from './temp-name.js';

/** Why a root cannot take the protection: the failing call's error, as a sentence part. */
export type ProofFailure = { call: string; error: unknown };

/**
 * Sets and lifts the immutable flag on a scratch file inside the root (an unnamed O_TMPFILE where
 * the file system has them, else `.vhashify-probe;XXXXXX`, removed again). Undefined when it works.
 */
export function proveImmutableFlag(rootFd: number): ProofFailure | undefined {
  const outcome = withScratchFile(rootFd, true, proveFlagOn);
  return outcome === 'no-unnamed-file' ? { call: 'open', error: 'EOPNOTSUPP' } : outcome;
}

/**
 * The same proof for `--check`, which must leave no trace: only on an unnamed O_TMPFILE file.
 * `no-unnamed-file` when the file system has none (the proof is then left to a real run).
 */
export function proveImmutableFlagUnnamed(rootFd: number): ProofFailure | undefined | 'no-unnamed-file' {
  return withScratchFile(rootFd, false, proveFlagOn);
}

// Sets the flag on the open scratch file, reads it back, and lifts it again.
function proveFlagOn(fd: number): ProofFailure | undefined {
  let step = 'FS_IOC_GETFLAGS';
  try {
    const flags = getInodeFlags(fd);
    step = 'FS_IOC_SETFLAGS';
    setInodeFlags(fd, flags | FS_IMMUTABLE_FL);
    const set = (getInodeFlags(fd) & FS_IMMUTABLE_FL) !== 0;
    setInodeFlags(fd, flags & ~FS_IMMUTABLE_FL);
    return set ? undefined : { call: step, error: 'EOPNOTSUPP' };
  } catch (error) {
    return { call: step, error };
  }
}

/** Sets upstream's IUNLINK|IMMUTABLE attributes on a scratch file in the root (a Linux-VServer kernel's call). */
export function proveVserverAttributes(rootFd: number): ProofFailure | undefined {
  const name = Buffer.concat([Buffer.from('.vhashify-probe'), computeTempSuffix()]);
  try {
    closeFd(openAt(rootFd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600));
  } catch (error) {
    return { call: 'open', error };
  }
  try {
    setVserverIattrAt(rootFd, name, IATTR_IUNLINK | IATTR_IMMUTABLE, IATTR_IUNLINK | IATTR_IMMUTABLE);
    setVserverIattrAt(rootFd, name, 0, IATTR_IUNLINK | IATTR_IMMUTABLE);
    return undefined;
  } catch (error) {
    return { call: 'vc_set_iattr', error };
  } finally {
    try {
      unlinkAt(rootFd, name);
    } catch {
      // an IUNLINK file may be unlinked; anything else is left for the admin to see
    }
  }
}

/** The sentence saying what to do about a failed proof. */
export function formatProofFix(failure: ProofFailure): string {
  if (isSysError(failure.error, 'EPERM') || failure.error === 'EPERM') {
    return 'Setting the immutable flag needs the CAP_LINUX_IMMUTABLE capability: run vhashify as root outside containers and without a reduced capability set, or choose --protect none (trusted guests only).';
  }
  if (['ENOTTY', 'EOPNOTSUPP', 'ENOTSUP', 'EINVAL', 'ENOSYS'].some((code) => isSysError(failure.error, code) || failure.error === code)) {
    return 'This file system has no immutable flag: keep the store on one that has (ext4, xfs, btrfs, tmpfs from Linux 6.0), or choose --protect none (trusted guests only).';
  }
  return 'Fix the storage root, or choose --protect none (trusted guests only).';
}

/** `<call>: <strerror>` for a failed proof. */
export function formatProofError(failure: ProofFailure): string {
  return `${failure.call}: ${formatErrno(failure.error)}`;
}

function withScratchFile(
  rootFd: number,
  allowNamed: boolean,
  probe: (fd: number) => ProofFailure | undefined,
): ProofFailure | undefined | 'no-unnamed-file' {
  let fd: number;
  let name: Buffer | undefined;
  try {
    fd = openTmpFileIn(rootFd, 0o600);
  } catch (error) {
    if (!isSysError(error)) return { call: 'open', error };
    if (!allowNamed) {
      // Only "no O_TMPFILE here" leaves the proof open; EROFS, EACCES and the like fail it.
      return isSysError(error, 'EOPNOTSUPP') || isSysError(error, 'EISDIR') ? 'no-unnamed-file' : { call: 'open', error };
    }
    name = Buffer.concat([Buffer.from('.vhashify-probe'), computeTempSuffix()]);
    try {
      fd = openAt(rootFd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    } catch (error2) {
      return { call: 'open', error: error2 };
    }
  }
  try {
    return probe(fd);
  } finally {
    closeFd(fd);
    if (name !== undefined) {
      try {
        unlinkAt(rootFd, name);
      } catch {
        // the flag could not be lifted again: the admin sees the probe file
      }
    }
  }
}
