// Byte-path helpers shared by the tree fixture modules: paths stay Buffers until a tool needs a string.

/** Joins a root directory and a path below it (as written in trees.json) into one byte path. */
export function resolveInRoot(root: Buffer, relative: string | Buffer): Buffer {
  return Buffer.concat([root, Buffer.from('/'), typeof relative === 'string' ? Buffer.from(relative) : relative]);
}

/** A byte path as a spawn argument; spawn encodes strings as UTF-8, so other bytes cannot be passed and are refused. */
export function formatSpawnArgument(path: Buffer): string {
  const text = path.toString('utf8');
  if (!Buffer.from(text).equals(path)) throw new Error(`path is not valid UTF-8, cannot pass it to a tool: ${text}`);
  return text;
}
