// The width of a terminal, asked of the descriptor itself: Node's process.stderr would turn the
// descriptor into a stream object, which the run never does (see bin/vhashify).
import { TIOCGWINSZ } from './constants.js';
import { loadLibc } from './libc.js';

// struct winsize: ws_row, ws_col, ws_xpixel, ws_ypixel, each an unsigned short.
const winsize = Buffer.alloc(8);

/** The terminal's number of columns, or undefined when `fd` is no terminal (or reports 0). */
export function getTerminalColumns(fd: number): number | undefined {
  winsize.fill(0);
  if (loadLibc().ioctl(fd, TIOCGWINSZ, 'void *', winsize) !== 0) return undefined;
  const columns = winsize.readUInt16LE(2);
  return columns === 0 ? undefined : columns;
}
