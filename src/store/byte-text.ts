// Byte-exact text for paths and messages: admin-chosen paths and config file contents may be
// any bytes, so messages that quote them are Buffers, never decoded strings.

/** The bytes of a path or text: Buffers as they are, strings encoded as UTF-8. */
export function toBytes(text: string | Buffer): Buffer {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
}

/** Concatenates text pieces into one Buffer (strings as UTF-8, Buffers verbatim). */
export function concatBytes(...parts: ReadonlyArray<string | Buffer>): Buffer {
  return Buffer.concat(parts.map(toBytes));
}

/** The bytes before the first NUL, which is all of the text that C string functions see. */
export function readCString(data: Buffer): Buffer {
  const nul = data.indexOf(0);
  return nul === -1 ? data : data.subarray(0, nul);
}

/** The data without trailing `\n` and NUL bytes (upstream's only clean-up of config values). */
export function normalizeConfigValue(data: Buffer): Buffer {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x00)) end--;
  return data.subarray(0, end);
}

/** A directory path without its trailing `/`s, ready to have `/<name>` appended (`/` → empty). */
export function normalizeDirPrefix(dir: Buffer): Buffer {
  let end = dir.length;
  while (end > 0 && dir[end - 1] === 0x2f) end--;
  return dir.subarray(0, end);
}
