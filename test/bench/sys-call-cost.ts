// `node dist/test/bench/sys-call-cost.js`: nanoseconds per call of the system-call layer next to what
// Node offers for the same job. Best of several rounds (the machine is shared), on a private tmpfs.
import { spawnSync } from 'node:child_process';
import { closeSync, lstatSync, mkdtempSync, openSync, opendirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AT_SYMLINK_NOFOLLOW, O_DIRECTORY, O_RDONLY, STATX_BASIC_STATS, STATX_BTIME } from '../../src/sys/constants.js';
import { toCString } from '../../src/sys/c-string.js';
import { readDirEntries } from '../../src/sys/dir-entries.js';
import { FileStat, lstatAt, lstatAtIfExists } from '../../src/sys/file-stat.js';
import { loadLibc } from '../../src/sys/libc.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';

const ROUNDS = 7;
let sink: unknown;

/** Best-of-ROUNDS nanoseconds per call of `fn`, after a warm-up round. */
function measure(calls: number, fn: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round <= ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink = fn();
    const perCall = Number(process.hrtime.bigint() - start) / calls;
    if (round > 0) best = Math.min(best, perCall);
  }
  return best;
}

function report(label: string, ns: number): void {
  process.stdout.write(`${label.padEnd(64)} ${ns.toFixed(0).padStart(7)} ns\n`);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'vhashify-sys-bench-'));
  if (spawnSync('mount', ['-t', 'tmpfs', 'none', dir]).status !== 0) throw new Error('needs root to mount a tmpfs');
  try {
    writeFileSync(join(dir, 'some-file-name.txt'), 'x'.repeat(100));
    for (let i = 0; i < 1000; i++) writeFileSync(join(dir, `entry-${i}`), '');
    run(dir);
  } finally {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(dir: string): void {
  const c = loadLibc();
  const dirFd = openAt(-100, Buffer.from(dir), O_RDONLY | O_DIRECTORY);
  const nodeDirFd = openSync(dir, 'r');
  const name = Buffer.from('some-file-name.txt');
  const missing = Buffer.from('no-such-name');
  const procPath = Buffer.from(`/proc/self/fd/${nodeDirFd}/some-file-name.txt`);
  const absPath = join(dir, 'some-file-name.txt');
  const statxBuffer = Buffer.alloc(256);
  const words = new Uint32Array(statxBuffer.buffer, statxBuffer.byteOffset, 64);
  const cName = Buffer.from('some-file-name.txt\0');
  const N = 100_000;

  report('Node lstatSync(/proc/self/fd/N/name, bigint) [walk today]', measure(N, () => lstatSync(procPath, { bigint: true })));
  report('Node lstatSync(absolute path, bigint)', measure(N, () => lstatSync(absPath, { bigint: true })));
  report('Node lstatSync(absolute path) numbers', measure(N, () => lstatSync(absPath)));
  report('lstatAt(dirFd, name) -> FileStat', measure(N, () => lstatAt(dirFd, name)));
  report('  koffi statx() call alone (C name ready, no object)', measure(N, () =>
    c.statx(dirFd, cName, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, statxBuffer)));
  report('  koffi close(-1) (FFI floor: EBADF, no work)', measure(N, () => c.close(-1)));
  report('  toCString(name)', measure(N * 10, () => toCString(name, 'statx')));
  report('  new FileStat() (decode 14 bigint fields)', measure(N * 10, () => new FileStat()));
  report('  same decode into numbers (for comparison)', measure(N * 10, () => decodeNumbers(words)));
  report('  isFile() on a FileStat', measure(N * 10, ((st) => () => st.isFile())(lstatAt(dirFd, name))));
  report('Node lstatSync(missing, throwIfNoEntry: false)', measure(N, () =>
    lstatSync(join(dir, 'no-such-name'), { bigint: true, throwIfNoEntry: false })));
  report('lstatAtIfExists(dirFd, missing) -> undefined', measure(N, () => lstatAtIfExists(dirFd, missing)));
  report('Node openSync + closeSync', measure(N, () => closeSync(openSync(absPath, 'r'))));
  report('openAt + closeFd', measure(N, () => closeFd(openAt(dirFd, name, O_RDONLY))));
  const entries = readDirEntries(dirFd).length;
  report(`Node opendirSync + readSync, per entry (${entries - 2} entries)`, measure(200, () => listWithNode(dir)) / (entries - 2));
  report(`readDirEntries, per entry (${entries} entries)`, measure(200, () => readDirEntries(dirFd)) / entries);
  closeFd(dirFd);
  closeSync(nodeDirFd);
  void sink;
}

// The same 14 fields as numbers from the same kind of typed view (times as seconds + nanoseconds).
function decodeNumbers(u32: Uint32Array): object {
  const hi = 2 ** 32;
  return {
    dev: u32[34], ino: u32[8]! + u32[9]! * hi, mode: u32[7]! & 0xffff, nlink: u32[4], uid: u32[5], gid: u32[6],
    rdev: u32[32], size: u32[10]! + u32[11]! * hi, blksize: u32[1], blocks: u32[12]! + u32[13]! * hi,
    atimeS: u32[16]! + (u32[17]! | 0) * hi, atimeN: u32[18], mtimeS: u32[28]! + (u32[29]! | 0) * hi, mtimeN: u32[30],
    ctimeS: u32[24]! + (u32[25]! | 0) * hi, ctimeN: u32[26], btimeS: u32[20]! + (u32[21]! | 0) * hi, btimeN: u32[22],
  };
}

function listWithNode(dir: string): number {
  const handle = opendirSync(dir, { encoding: 'buffer' as BufferEncoding });
  let count = 0;
  while (handle.readSync() !== null) count++;
  handle.closeSync();
  return count;
}

main();
