// Guest-relative paths as upstream builds them: `/` for the root, `/a/b` below it, raw bytes.

const SLASH = Buffer.from('/');

/** The root's own path. */
export const ROOT_GUEST_PATH = SLASH;

/** `parent` + `/` + `name`, where the root `/` gives `/name`. */
export function joinGuestPath(parent: Buffer, name: Buffer): Buffer {
  if (parent.length === 1 && parent[0] === 0x2f) return Buffer.concat([SLASH, name]);
  return Buffer.concat([parent, SLASH, name]);
}
