// How a guest file is opened for reading: relative to its open directory, never through a symlink,
// never blocking on a FIFO a guest swapped in, never becoming a controlling terminal.
import { O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY } from '../sys/constants.js';
import { openAt } from '../sys/open-at.js';

/** open(2) flags for reading a guest file. */
export const GUEST_READ_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

/** Opens `name` in the guest directory `dirFd` for reading (throws a SysError). */
export function openGuestFile(dirFd: number, name: Buffer): number {
  return openAt(dirFd, name, GUEST_READ_FLAGS);
}
