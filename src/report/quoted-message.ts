// Our own messages (a refusal, a hint) quoted inside the reports of --explain and --check.

/** A message of ours quoted inside a report: without its `vhashify: ` prefix and its last newline. */
export function formatQuotedMessage(message: string | Buffer): Buffer {
  const text = Buffer.from(message);
  const start = text.subarray(0, 10).equals(Buffer.from('vhashify: ')) ? 10 : 0;
  let end = text.length;
  while (end > start && text[end - 1] === 0x0a) end -= 1;
  return text.subarray(start, end);
}
