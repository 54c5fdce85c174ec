// Small deterministic random helpers for the synthetic trees (same seed, same tree, on every machine).

/** A random source returning floats in [0, 1). */
export type Random = () => number;

/** Mixes integers into one 32-bit seed, so (seed, package, file) each get an independent stream. */
export function computeSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = (h ^ (h >>> 12)) >>> 0;
  }
  return h;
}

/** mulberry32: tiny, fast, and good enough to shape a file tree. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform float in [0, 1) that depends only on the parts (no stream state). */
export function computeUnit(...parts: readonly number[]): number {
  return computeSeed(...parts) / 4294967296;
}

/** An integer in [0, n). */
export function pickIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** A log-normal draw with the given median and sigma (Box-Muller). */
export function drawLogNormal(random: Random, median: number, sigma: number): number {
  const u = 1 - random();
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * normal);
}
