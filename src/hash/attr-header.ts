// The packed attribute header that upstream hashes in front of a file's content: the part of
// the entry name that makes files with equal content but different owner/mode/mtime differ.

/** The stat fields that go into an entry's digest (taken from the traversal's lstat). */
export interface HashedAttributes {
  mode: bigint;
  uid: bigint;
  gid: bigint;
  rdev: bigint;
  size: bigint;
  mtimeSec: bigint;
}

/** Header length in bytes on x86_64 Linux. */
export const attrHeaderLength = 36;

const nsPerSecond = 1_000_000_000n;

/** The hashed fields of a bigint lstat result; the mtime is whole seconds, rounded down. */
export function attributesFromStats(st: { mode: bigint; uid: bigint; gid: bigint; rdev: bigint; size: bigint; mtimeNs: bigint }): HashedAttributes {
  // st_mtime is the floor of the exact time; BigInt division truncates toward zero, which is
  // one second too late for times before 1970 that have a fractional part.
  let mtimeSec = st.mtimeNs / nsPerSecond;
  if (st.mtimeNs < 0n && st.mtimeNs % nsPerSecond !== 0n) mtimeSec -= 1n;
  return { mode: st.mode, uid: st.uid, gid: st.gid, rdev: st.rdev, size: st.size, mtimeSec };
}

// QUIRK Q23: upstream hashes its in-memory struct, so the layout follows the C ABI; this is the
// x86_64 layout (packed, little-endian: u32 mode, u32 uid, u32 gid, u64 rdev, i64 size,
// i64 mtime). Stores written on other ABIs name the same file differently; we only speak x86_64.
/** The 36 header bytes; with `ignoreMtime` (`--ignore-mtime`) the mtime field is zero. */
export function packAttrHeader(a: HashedAttributes, ignoreMtime: boolean): Buffer {
  const header = Buffer.alloc(attrHeaderLength);
  header.writeUInt32LE(Number(BigInt.asUintN(32, a.mode)), 0);
  header.writeUInt32LE(Number(BigInt.asUintN(32, a.uid)), 4);
  header.writeUInt32LE(Number(BigInt.asUintN(32, a.gid)), 8);
  header.writeBigUInt64LE(BigInt.asUintN(64, a.rdev), 12);
  header.writeBigInt64LE(BigInt.asIntN(64, a.size), 20);
  header.writeBigInt64LE(ignoreMtime ? 0n : BigInt.asIntN(64, a.mtimeSec), 28);
  return header;
}
