// An Output for main() that indents every line, so the tool's own lines stand out in the demo.
import { createOutput, type Output } from '../report/output.js';

/** Wraps `base` (by default the unbuffered fds 1 and 2), prefixing each line with `indent`. */
export function createIndentedOutput(indent: string, base: Output = createOutput(1, 2, true)): Output {
  const atLineStart = { out: true, err: true };
  const indentLines = (stream: 'out' | 'err', text: Buffer | string): Buffer => {
    const data = typeof text === 'string' ? Buffer.from(text) : text;
    const parts: Buffer[] = [];
    for (let start = 0; start < data.length; ) {
      if (atLineStart[stream]) parts.push(Buffer.from(indent));
      const newline = data.indexOf(0x0a, start);
      const end = newline === -1 ? data.length : newline + 1;
      parts.push(data.subarray(start, end));
      atLineStart[stream] = newline !== -1;
      start = end;
    }
    return Buffer.concat(parts);
  };
  return {
    out: (text) => base.out(indentLines('out', text)),
    err: (text) => base.err(indentLines('err', text)),
    flush: () => base.flush(),
  };
}
