import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { MAX_SYNTHETIC_SIZE } from '../bench/synthetic-content.js';
import { computeGuestTargets, DEFAULT_SHAPE, planPackage, planSyntheticGuests, type SyntheticEntry, type SyntheticShape } from '../bench/synthetic-tree.js';

const shape = (files: number, overrides: Partial<SyntheticShape> = {}): SyntheticShape => ({ ...DEFAULT_SHAPE, files, ...overrides });
const collect = (s: SyntheticShape): SyntheticEntry[] => [...planSyntheticGuests(s)];
const fingerprint = (entries: readonly SyntheticEntry[]): string => {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.guest} ${e.kind} ${e.path.toString('hex')} ${e.size} ${e.contentSeed} ${e.mode} ${e.uid} ${e.gid} ${e.mtime} ${e.target?.toString('hex') ?? ''}\n`);
  return hash.digest('hex');
};
const files = (entries: readonly SyntheticEntry[]) => entries.filter((e) => e.kind === 'file');
const identity = (e: SyntheticEntry) => `${e.contentSeed}/${e.size}/${e.mode}/${e.uid}/${e.gid}/${e.mtime}`;

describe('planSyntheticGuests', () => {
  const sample = collect(shape(6000));

  it('yields exactly the same entries for the same shape', () => {
    assert.equal(fingerprint(collect(shape(6000))), fingerprint(sample));
  });

  it('yields a different tree for a different seed', () => {
    assert.notEqual(fingerprint(collect(shape(6000, { seed: 2 }))), fingerprint(sample));
  });

  it('yields exactly the requested number of regular files, half in each guest', () => {
    assert.equal(files(sample).length, 6000);
    assert.equal(files(sample).filter((e) => e.guest === 0).length, 3000);
    assert.equal(files(collect(shape(2001))).filter((e) => e.guest === 1).length, 1001);
    assert.deepEqual(computeGuestTargets(7, 2), [3, 4]);
  });

  it('draws Debian-like sizes that keep a million files within a few GB', () => {
    const sizes = files(sample).map((e) => e.size).sort((a, b) => a - b);
    const median = sizes[sizes.length >> 1]!;
    const tinyShare = sizes.filter((s) => s < 16).length / sizes.length;
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    assert.ok(median >= 800 && median <= 2500, `median ${median}`);
    assert.ok(tinyShare >= 0.005 && tinyShare <= 0.05, `share under 16 bytes ${tinyShare}`);
    assert.ok(sizes[sizes.length - 1]! <= MAX_SYNTHETIC_SIZE);
    assert.ok(sizes[Math.floor(sizes.length * 0.99)]! > 50_000, 'a tail of larger files');
    assert.ok(mean * 1e6 < 6e9, `mean ${mean} bytes would make 1M files ${(mean / 1e3).toFixed(1)} GB`);
  });

  it('shares most, but not all, of the second guest with the first', () => {
    const first = new Map(files(sample).filter((e) => e.guest === 0).map((e) => [e.path.toString('latin1'), identity(e)]));
    const second = files(sample).filter((e) => e.guest === 1);
    const shared = second.filter((e) => first.get(e.path.toString('latin1')) === identity(e)).length / second.length;
    assert.ok(shared >= 0.6 && shared <= 0.95, `shared ${shared}`);
  });

  it('repeats contents within one guest, sometimes with the same metadata too', () => {
    const guest = files(sample).filter((e) => e.guest === 0 && e.size >= 16);
    const byIdentity = new Map<string, number>();
    for (const e of guest) byIdentity.set(identity(e), (byIdentity.get(identity(e)) ?? 0) + 1);
    const duplicated = [...byIdentity.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0);
    assert.ok(duplicated / guest.length > 0.02, `only ${duplicated} files share content and metadata`);
    const seeds = new Map<number, Set<number>>();
    for (const e of guest) seeds.set(e.contentSeed, (seeds.get(e.contentSeed) ?? new Set()).add(e.mtime));
    assert.ok([...seeds.values()].some((mtimes) => mtimes.size > 1), 'same content with different mtimes');
  });

  it('builds deep and wide directories', () => {
    const dirs = new Map<string, number>();
    let depth = 0;
    for (const e of files(sample)) {
      const path = e.path.toString('latin1');
      depth = Math.max(depth, path.split('/').length - 1);
      const dir = `${e.guest}${path.slice(0, path.lastIndexOf('/'))}`;
      dirs.set(dir, (dirs.get(dir) ?? 0) + 1);
    }
    assert.ok(depth >= 10, `deepest file at depth ${depth}`);
    assert.ok(Math.max(...dirs.values()) >= 0.03 * 3000, 'one directory holds 3% of a guest');
  });

  it('never repeats a path within a guest and writes some names that are not UTF-8', () => {
    const paths = sample.map((e) => `${e.guest}${e.path.toString('latin1')}`);
    assert.equal(new Set(paths).size, paths.length);
    const dirs = new Set(paths.map((p) => p.slice(0, p.lastIndexOf('/'))));
    assert.ok(paths.every((p) => !dirs.has(p)), 'no path is both a file and a directory');
    assert.ok(sample.some((e) => !Buffer.from(e.path.toString('utf8')).equals(e.path)));
  });

  it('gives a package the same entries whichever guest has it', () => {
    assert.equal(fingerprint(planPackage(1, 42)), fingerprint(planPackage(1, 42)));
    assert.notEqual(fingerprint(planPackage(1, 42)), fingerprint(planPackage(1, 43)));
  });
});
