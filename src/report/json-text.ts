// JSON for the reports of the store modes: bigints as numbers, byte strings (paths) as text.

/** A path or name for JSON: a string when the bytes are UTF-8, else `{ "hex": "…" }` (names are bytes). */
export type JsonBytes = string | { hex: string };

/** The bytes as a JSON value: exact either way. */
export function formatJsonBytes(bytes: Buffer | string): JsonBytes {
  if (typeof bytes === 'string') return bytes;
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : { hex: bytes.toString('hex') };
}

/** One JSON document and a newline; bigints become numbers (exact below 2^53, which byte counts stay below). */
export function formatJsonDocument(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`;
}
