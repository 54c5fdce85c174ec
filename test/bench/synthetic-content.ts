// File contents of the synthetic trees: identical (seed, size) gives identical bytes, anything else differs early.

const POOL_WINDOW = 1 << 20;

/** The largest synthetic file; keeps 1M files within a few GB. */
export const MAX_SYNTHETIC_SIZE = 512 * 1024;

let pool: Buffer | undefined;

function readPool(): Buffer {
  if (pool === undefined) {
    // Filled on first use (not at import): a fixed pseudo-random block that contents are sliced from.
    const words = new Uint32Array((POOL_WINDOW + MAX_SYNTHETIC_SIZE) / 4);
    let x = 0x2545f491;
    for (let i = 0; i < words.length; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    pool = Buffer.from(words.buffer);
  }
  return pool;
}

/** The content of a synthetic file: a 16-byte header naming seed and size, then a slice of the pool. */
export function createContent(seed: number, size: number): Buffer {
  if (!Number.isInteger(size) || size < 0 || size > MAX_SYNTHETIC_SIZE) throw new RangeError(`synthetic size ${size} out of range`);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(seed >>> 0, 0);
  header.writeUInt32LE(size, 4);
  header.writeUInt32LE(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0, 8);
  header.writeUInt32LE(Math.imul(size ^ seed, 0xc2b2ae35) >>> 0, 12);
  if (size <= 16) return header.subarray(0, size);
  const offset = Math.imul(seed >>> 0, 4099) >>> 0;
  const start = offset % POOL_WINDOW;
  return Buffer.concat([header, readPool().subarray(start + 16, start + size)], size);
}
