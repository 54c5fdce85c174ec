// The Linux-VServer kernel's inode attributes (IUNLINK, IMMUTABLE) through its own system call.
import { toCString } from './c-string.js';
import { AT_FDCWD } from './constants.js';
import { loadLibc, throwErrno } from './libc.js';

// Written from util-vserver's kernel/switch.h, kernel/inode_cmd.h, lib/vserver.h and
// lib/syscall-fallback.h (read for behaviour, spec 8.7): vserver(cmd, id, data) is x86_64 system
// call 236; a command is category << 24 | number << 16 | version.
const SYS_VSERVER = 236;
const VC_CAT_VERSION = 0;
const VC_CAT_INODE = 38;
// The version query names the compatibility category as its id.
const VC_CAT_COMPAT = 63;

function formatCommand(category: number, number: number, version: number): number {
  return ((category & 0x3f) << 24) | ((number & 0xff) << 16) | (version & 0xfff);
}

const VCMD_GET_VERSION = formatCommand(VC_CAT_VERSION, 0, 0);
const VCMD_GET_IATTR = formatCommand(VC_CAT_INODE, 1, 1);
const VCMD_SET_IATTR = formatCommand(VC_CAT_INODE, 2, 1);

/** Attribute bits of get/set iattr (VC_IATTR_*). */
export const IATTR_ADMIN = 0x1;
export const IATTR_WATCH = 0x2;
export const IATTR_HIDE = 0x4;
export const IATTR_WRITE = 0x8;
export const IATTR_BARRIER = 0x00010000;
export const IATTR_IUNLINK = 0x00020000;
export const IATTR_IMMUTABLE = 0x00040000;
export const IATTR_COW = 0x00080000;
export const IATTR_XID = 0x01000000;

/** What get iattr reports: the context tag, the set bits, and the bits this file system supports. */
export interface VserverIattr {
  xid: number;
  flags: number;
  mask: number;
}

// struct vcmd_ctx_iattr_v1 on x86_64: const char *name at 0, u32 xid at 8, flags at 12, mask at 16; 24 bytes.
const iattr = Buffer.alloc(24);

/**
 * The VServer API version of the running kernel (0x00020308 for API 2.3.8); a stock kernel fails with
 * ENOSYS. Upstream asks this first and treats a failure as "no attribute support" (spec 8.7).
 */
export function getVserverVersion(): number {
  const c = loadLibc();
  const version = c.syscall(SYS_VSERVER, 'uint32_t', VCMD_GET_VERSION, 'uint32_t', VC_CAT_COMPAT, 'void *', null);
  if (version < 0) throwErrno(c, 'vc_get_version');
  return version;
}

// The kernel call takes a path, resolved from the current directory; /proc/self/fd/<dirFd>/ stands
// for the directory we hold open. The last component is never followed (the kernel uses lpath).
function formatPath(dirFd: number, name: Buffer): Buffer {
  return dirFd === AT_FDCWD ? name : Buffer.concat([Buffer.from(`/proc/self/fd/${dirFd}/`), name]);
}

function callIattr(command: number, syscall: string, dirFd: number, name: Buffer, flags: number, mask: number): void {
  const c = loadLibc();
  const path = toCString(formatPath(dirFd, name), syscall);
  iattr.writeBigUInt64LE(c.address(path), 0);
  iattr.writeUInt32LE(0, 8);
  iattr.writeUInt32LE(flags >>> 0, 12);
  iattr.writeUInt32LE(mask >>> 0, 16);
  if (c.syscall(SYS_VSERVER, 'uint32_t', command, 'uint32_t', 0, 'void *', iattr) < 0) throwErrno(c, syscall);
}

/** get iattr of `name` inside `dirFd` (upstream's vc_get_iattr). */
export function getVserverIattrAt(dirFd: number, name: Buffer): VserverIattr {
  callIattr(VCMD_GET_IATTR, 'vc_get_iattr', dirFd, name, 0, 0);
  return { xid: iattr.readUInt32LE(8), flags: iattr.readUInt32LE(12), mask: iattr.readUInt32LE(16) };
}

/** set iattr: the bits of `mask` take their values from `flags` (vhashify: both IUNLINK|IMMUTABLE). */
export function setVserverIattrAt(dirFd: number, name: Buffer, flags: number, mask: number): void {
  callIattr(VCMD_SET_IATTR, 'vc_set_iattr', dirFd, name, flags, mask);
}
