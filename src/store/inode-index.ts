// The fast path's memory: which inodes are store entries, and under which name (a cache, not the store).
import {
  closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, rmSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';
import type { AlgorithmName } from '../hash/algorithms.js';
import type { FileStat } from '../sys/file-stat.js';
import { InodeTable } from './inode-table.js';

/** What was true of a store entry when this tool last linked a file to it. */
export interface IndexRecord {
  ino: bigint;
  /** Birth time: tells a reused inode number from the inode we recorded (0 where unsupported). */
  btimeNs: bigint;
  /**
   * Change time when recorded. Nobody but the kernel sets it: any write, chown, chmod, link or
   * unlink since moves it, so an unchanged ctime vouches for content, attributes and every name.
   */
  ctimeNs: bigint;
  mode: bigint;
  uid: bigint;
  gid: bigint;
  size: bigint;
  mtimeSec: bigint;
  algorithm: AlgorithmName;
  ignoreMtime: boolean;
  counter: number;
  digest: Buffer;
}

// Layout: magic 0, ino 4, btime 12, mode 20, uid 24, gid 28, size 32, mtime 40, algorithm 48,
// ignore-mtime 49, digest length 50, counter 52, digest 56..88, ctime 88, checksum 96 (of 0..96).
const RECORD_SIZE = 104;
const CHECKED_BYTES = 96;
/** Appends are batched: one write per this many records (and one at close). */
const PENDING_RECORDS = 64;
const MAGIC = 0x32584856; // "VHX2" (version 1 records had no ctime)
const ALGORITHMS: AlgorithmName[] = ['md2', 'md5', 'sha1', 'sha256', 'sha384', 'sha512'];

type Checksum = (data: Uint8Array) => number;
let checksumPromise: Promise<Checksum> | undefined;

function loadChecksum(): Promise<Checksum> {
  // xxhash-wasm: a fast non-cryptographic checksum that catches torn or damaged records.
  checksumPromise ??= xxhash().then(({ h32Raw }) => (data: Uint8Array) => h32Raw(data, 0));
  return checksumPromise;
}

/**
 * An append-only file of fixed-size records, one file per storage root, kept outside the store
 * (the store layout stays exactly upstream's). Loaded into an InodeTable (12 bytes a slot);
 * records are read back with one pread on a hit. A damaged record is ignored, never trusted (a
 * damaged newest record hides older ones for its inode: that file takes the slow path, which is
 * always right).
 */
export class InodeIndex {
  /** Records remembered but not yet appended (written PENDING_RECORDS at a time, and at close). */
  private readonly pending = Buffer.alloc(RECORD_SIZE * PENDING_RECORDS);
  private pendingCount = 0;
  /** Set when an append failed: nothing more is remembered in this run. */
  private failed = false;

  private constructor(
    private readonly fd: number,
    private readonly table: InodeTable,
    /** Records in the file; pending ones are numbered after them. */
    private records: number,
    private readonly writable: boolean,
    private readonly checksum: Checksum,
  ) {}

  /** Opens (creating unless read-only) the index of the storage root whose directory has `rootStat`. */
  static async open(cacheDir: string, rootStat: Pick<FileStat, 'dev' | 'ino' | 'birthtimeNs'>, writable: boolean): Promise<InodeIndex | undefined> {
    const checksum = await loadChecksum();
    const name = `${rootStat.dev}-${rootStat.ino}-${rootStat.birthtimeNs}`;
    const file = join(cacheDir, `${name}.idx2`);
    let fd: number;
    try {
      if (writable) {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        // A version 1 index cannot vouch for anything any more (no ctime): drop it.
        rmSync(join(cacheDir, `${name}.idx`), { force: true });
      }
      const flags = writable ? constants.O_RDWR | constants.O_CREAT | constants.O_APPEND : constants.O_RDONLY;
      fd = openSync(file, flags | constants.O_NOFOLLOW, 0o600);
    } catch {
      return undefined; // no cache (read-only /var, dry run on a fresh store): the slow path is always right
    }
    const size = Number(fstatSync(fd).size);
    const records = Math.floor(size / RECORD_SIZE);
    if (writable && size !== records * RECORD_SIZE) {
      // A torn last record (crash or full disk mid-append) would put every later append (O_APPEND)
      // off the record grid, so none of them could ever be read back: drop the torn tail first.
      try {
        ftruncateSync(fd, records * RECORD_SIZE);
      } catch {
        closeSync(fd);
        return undefined;
      }
    }
    const table = new InodeTable(records);
    const chunk = Buffer.allocUnsafe(RECORD_SIZE * 4096);
    for (let first = 0; first < records; first += 4096) {
      const count = Math.min(4096, records - first);
      const got = readSync(fd, chunk, 0, count * RECORD_SIZE, first * RECORD_SIZE);
      for (let i = 0; i * RECORD_SIZE + RECORD_SIZE <= got; i += 1) {
        // Only the magic here: every hit is read back and its checksum verified in lookup(), so
        // checking all records at open would cost start-up time for records the run never meets.
        const at = i * RECORD_SIZE;
        if (chunk.readUInt32LE(at) === MAGIC) table.set(chunk.readBigUInt64LE(at + 4), first + i);
      }
    }
    return new InodeIndex(fd, table, records, writable, checksum);
  }

  /** The newest intact record for this inode whose birth time matches, if any. */
  lookup(stat: Pick<FileStat, 'ino' | 'birthtimeNs'>): IndexRecord | undefined {
    const n = this.table.get(stat.ino);
    if (n === undefined) return undefined;
    let buf: Buffer;
    if (n >= this.records + this.pendingCount) return undefined; // lost with a failed append
    if (n >= this.records) {
      buf = this.pending.subarray((n - this.records) * RECORD_SIZE, (n - this.records + 1) * RECORD_SIZE);
    } else {
      buf = Buffer.allocUnsafe(RECORD_SIZE);
      if (readSync(this.fd, buf, 0, RECORD_SIZE, n * RECORD_SIZE) !== RECORD_SIZE) return undefined;
    }
    if (!isIntact(buf, this.checksum)) return undefined;
    const record = decodeRecord(buf);
    return record.btimeNs === stat.birthtimeNs ? record : undefined;
  }

  /** Remembers a record (appended; the newest record for an inode wins). No-op when read-only. */
  remember(record: IndexRecord): void {
    if (!this.writable || this.failed) return;
    if (this.pendingCount === PENDING_RECORDS) this.flush();
    if (this.failed) return;
    encodeRecord(record, this.checksum).copy(this.pending, this.pendingCount * RECORD_SIZE);
    this.table.set(record.ino, this.records + this.pendingCount);
    this.pendingCount += 1;
  }

  /** Appends the pending records in one write. */
  flush(): void {
    if (this.pendingCount === 0) return;
    const bytes = this.pendingCount * RECORD_SIZE;
    let written = 0;
    try {
      written = writeSync(this.fd, this.pending, 0, bytes);
    } catch {
      written = 0; // a full disk must not stop the run: the slow path still works
    }
    if (written !== bytes) {
      // A full disk, say: stop remembering. The records that did not make it are forgotten, so
      // their inodes take the slow path, which is always right. (A torn tail is cut off the next
      // time the index is opened for writing.)
      this.failed = true;
      this.pendingCount = 0;
      return;
    }
    this.records += this.pendingCount;
    this.pendingCount = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

}

function isIntact(rec: Buffer, checksum: Checksum): boolean {
  return rec.readUInt32LE(0) === MAGIC && rec.readUInt32LE(CHECKED_BYTES) === checksum(rec.subarray(0, CHECKED_BYTES));
}

function encodeRecord(r: IndexRecord, checksum: Checksum): Buffer {
  const buf = Buffer.alloc(RECORD_SIZE);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeBigUInt64LE(r.ino, 4);
  buf.writeBigInt64LE(r.btimeNs, 12);
  buf.writeUInt32LE(Number(r.mode), 20);
  buf.writeUInt32LE(Number(r.uid), 24);
  buf.writeUInt32LE(Number(r.gid), 28);
  buf.writeBigInt64LE(r.size, 32);
  buf.writeBigInt64LE(r.mtimeSec, 40);
  buf.writeUInt8(ALGORITHMS.indexOf(r.algorithm), 48);
  buf.writeUInt8(r.ignoreMtime ? 1 : 0, 49);
  buf.writeUInt8(r.digest.length, 50);
  buf.writeUInt32LE(r.counter, 52);
  r.digest.copy(buf, 56, 0, Math.min(32, r.digest.length));
  buf.writeBigInt64LE(r.ctimeNs, 88);
  buf.writeUInt32LE(checksum(buf.subarray(0, CHECKED_BYTES)), CHECKED_BYTES);
  return buf;
}

function decodeRecord(buf: Buffer): IndexRecord {
  return {
    ino: buf.readBigUInt64LE(4),
    btimeNs: buf.readBigInt64LE(12),
    ctimeNs: buf.readBigInt64LE(88),
    mode: BigInt(buf.readUInt32LE(20)),
    uid: BigInt(buf.readUInt32LE(24)),
    gid: BigInt(buf.readUInt32LE(28)),
    size: buf.readBigInt64LE(32),
    mtimeSec: buf.readBigInt64LE(40),
    algorithm: ALGORITHMS[buf.readUInt8(48)] ?? 'sha256',
    ignoreMtime: buf.readUInt8(49) === 1,
    counter: buf.readUInt32LE(52),
    digest: Buffer.from(buf.subarray(56, 56 + Math.min(32, buf.readUInt8(50)))),
  };
}
