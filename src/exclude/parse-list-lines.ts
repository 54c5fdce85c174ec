// The line reader upstream uses for exclude files and for `vpkg get-conffiles` output (spec 3.2).

const NUL = 0x00;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const HASH = 0x23;

/** One entry that survived line parsing: its bytes and its 1-based line number in the input. */
export interface ListLine {
  text: Buffer;
  line: number;
}

/** Split a list file into entries with upstream's quirks: comments, trimming, short lines dropped. */
export function parseListLines(data: Buffer): ListLine[] {
  const entries: ListLine[] = [];
  // QUIRK Q10: the first NUL ends the input; the line holding it is dropped even before the NUL.
  const nul = data.indexOf(NUL);
  const end = nul < 0 ? data.length : nul;
  let start = 0;
  for (let line = 1; ; line++) {
    const newline = data.indexOf(NEWLINE, start);
    // QUIRK Q09: text after the last `\n` (or a line cut by a NUL) is not a line at all.
    if (newline < 0 || newline >= end) break;
    if (data[start] !== HASH) {
      let stop = newline;
      // QUIRK Q11: only spaces are trimmed; a tab or the `\r` of a CRLF file stays in the pattern.
      while (stop > start && data[stop - 1] === SPACE) stop--;
      // QUIRK Q12: entries shorter than two bytes are dropped silently (`*`, `/`, `x`).
      if (stop - start >= 2) entries.push({ text: Buffer.from(data.subarray(start, stop)), line });
    }
    start = newline + 1;
  }
  return entries;
}
