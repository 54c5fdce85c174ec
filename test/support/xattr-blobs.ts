// Extended attribute values as the kernel stores them, for tests that plant capabilities and ACLs.

/** `struct vfs_cap_data` revision 2 granting capability `bit` (permitted + effective), as setcap writes it. */
export function formatCapability(bit: number): Buffer {
  const data = Buffer.alloc(20);
  data.writeUInt32LE(0x02000000 | 0x1, 0);
  data.writeUInt32LE(1 << bit, 4);
  return data;
}

/** The capability `ping` carries on Debian. */
export const CAP_NET_RAW = 13;

/**
 * A `system.posix_acl_access` value (version 2, {tag, perm, id} sorted by tag):
 * user::rw- user:1234:r-- group::r-- mask::rw- other::---
 */
export function formatAcl(): Buffer {
  const entries: [number, number, number][] = [
    [0x01, 6, 0xffffffff], [0x02, 4, 1234], [0x04, 4, 0xffffffff], [0x10, 6, 0xffffffff], [0x20, 0, 0xffffffff],
  ];
  const data = Buffer.alloc(4 + entries.length * 8);
  data.writeUInt32LE(2, 0);
  entries.forEach(([tag, perm, id], i) => {
    data.writeUInt16LE(tag, 4 + i * 8);
    data.writeUInt16LE(perm, 6 + i * 8);
    data.writeUInt32LE(id, 8 + i * 8);
  });
  return data;
}
