// A compact open-addressing table from inode number to record number: 12 bytes a slot, no objects.

/** Maps 64-bit inode numbers to positive 32-bit record numbers; the newest mapping wins. */
export class InodeTable {
  private lo: Uint32Array;
  private hi: Uint32Array;
  private value: Uint32Array; // record number + 1; 0 marks an empty slot
  private count = 0;

  constructor(capacity = 1024) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.lo = new Uint32Array(size);
    this.hi = new Uint32Array(size);
    this.value = new Uint32Array(size);
  }

  /** Number of distinct inodes held. */
  get size(): number {
    return this.count;
  }

  /** The record number stored for `ino`, if any. */
  get(ino: bigint): number | undefined {
    const lo = Number(ino & 0xffffffffn);
    const hi = Number(ino >> 32n);
    const mask = this.value.length - 1;
    for (let i = slotOf(lo, hi, mask); ; i = (i + 1) & mask) {
      const v = this.value[i]!;
      if (v === 0) return undefined;
      if (this.lo[i] === lo && this.hi[i] === hi) return v - 1;
    }
  }

  /** Stores (or replaces) the record number for `ino`. */
  set(ino: bigint, record: number): void {
    if ((this.count + 1) * 2 > this.value.length) this.grow();
    this.insert(Number(ino & 0xffffffffn), Number(ino >> 32n), record + 1);
  }

  private insert(lo: number, hi: number, v: number): void {
    const mask = this.value.length - 1;
    for (let i = slotOf(lo, hi, mask); ; i = (i + 1) & mask) {
      if (this.value[i] === 0) {
        this.lo[i] = lo;
        this.hi[i] = hi;
        this.value[i] = v;
        this.count += 1;
        return;
      }
      if (this.lo[i] === lo && this.hi[i] === hi) {
        this.value[i] = v;
        return;
      }
    }
  }

  private grow(): void {
    const { lo, hi, value } = this;
    this.lo = new Uint32Array(value.length * 2);
    this.hi = new Uint32Array(value.length * 2);
    this.value = new Uint32Array(value.length * 2);
    this.count = 0;
    for (let i = 0; i < value.length; i += 1) if (value[i] !== 0) this.insert(lo[i]!, hi[i]!, value[i]!);
  }
}

function slotOf(lo: number, hi: number, mask: number): number {
  // A multiplication only carries bits upwards, so the slot (the low bits) must not come straight
  // from a product: keys sharing their low bits would pile into one probe cluster. Murmur3's
  // finaliser folds every bit of the key into the low ones.
  let h = lo ^ Math.imul(hi, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) & mask;
}
