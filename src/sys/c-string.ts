// NUL-terminated copies of byte names for C calls, in reused per-thread buffers.
import { SysError } from './sys-error.js';

const EINVAL = 22;
// Enough for any file name (255 bytes) and most admin paths; longer ones get a buffer of their own.
const SCRATCH_SIZE = 1024;

// Two slots, because linkat/renameat2/symlinkat take two names in one call.
const scratch = [Buffer.alloc(SCRATCH_SIZE), Buffer.alloc(SCRATCH_SIZE)] as const;

/**
 * `name` followed by a NUL, in scratch slot `slot` (0 or 1) when it fits, else in a new buffer.
 * The result is valid until the next call with the same slot: pass it straight to the C function.
 * A name holding a NUL byte is refused with EINVAL, since C would silently see a shorter name.
 */
export function toCString(name: Buffer, syscall: string, slot: 0 | 1 = 0): Buffer {
  const length = name.length;
  const out = length < SCRATCH_SIZE ? scratch[slot] : Buffer.allocUnsafe(length + 1);
  // A plain loop: for names of a few dozen bytes it beats Buffer.copy and checks for NUL on the way.
  for (let i = 0; i < length; i++) {
    const byte = name[i]!;
    if (byte === 0) throw new SysError(syscall, EINVAL);
    out[i] = byte;
  }
  out[length] = 0;
  return out;
}

/** The empty C string, for AT_EMPTY_PATH calls on a descriptor. */
export const EMPTY_C_STRING = Buffer.alloc(1);
