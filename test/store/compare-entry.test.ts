import assert from 'node:assert/strict';
import {
  chmodSync, chownSync, copyFileSync, linkSync, lstatSync, utimesSync, writeFileSync, type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isUnifyable, isUnified, mtimeSeconds } from '../../src/store/compare-entry.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
let file: BigIntStats;
let sameAttributes: BigIntStats;
let hardLink: BigIntStats;
before(() => {
  base = createTmpfsDir('compare-entry');
  const a = join(base, 'a');
  writeFileSync(a, 'some content of the file');
  chownSync(a, 1000, 2000);
  chmodSync(a, 0o4755);
  utimesSync(a, new Date(1_000_000_000_250), new Date(1_000_000_000_250));
  const b = join(base, 'b');
  copyFileSync(a, b);
  chownSync(b, 1000, 2000);
  chmodSync(b, 0o4755);
  // Another sub-second part and atime: neither is compared.
  utimesSync(b, new Date(5000), new Date(1_000_000_000_750));
  linkSync(a, join(base, 'a-link'));
  file = lstatSync(a, { bigint: true });
  sameAttributes = lstatSync(b, { bigint: true });
  hardLink = lstatSync(join(base, 'a-link'), { bigint: true });
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

// A copy of a real lstat result with some fields changed (the relations read plain fields only).
function changed(stat: BigIntStats, fields: Partial<Record<keyof BigIntStats, bigint>>): BigIntStats {
  return { ...stat, ...fields } as BigIntStats;
}

test('a file is unified with an entry that is the same inode on the same device', () => {
  assert.ok(isUnified(file, hardLink));
  assert.ok(!isUnified(file, sameAttributes));
  assert.ok(!isUnified(file, changed(hardLink, { dev: hardLink.dev + 1n })));
});

test('a file is unifyable with another inode of equal mode, owner, size and whole-second mtime', () => {
  assert.notEqual(file.mtimeNs, sameAttributes.mtimeNs, 'the nanoseconds differ');
  assert.notEqual(file.atimeNs, sameAttributes.atimeNs);
  assert.ok(isUnifyable(file, sameAttributes, false));
  assert.ok(isUnifyable(sameAttributes, file, false));
});

test('the same inode is never unifyable (it is unified instead)', () => {
  assert.ok(!isUnifyable(file, hardLink, false));
  assert.ok(!isUnifyable(file, hardLink, true));
});

test('each compared field on its own makes a file not unifyable', () => {
  const differences: Array<[string, Partial<Record<keyof BigIntStats, bigint>>]> = [
    ['device', { dev: sameAttributes.dev + 1n }],
    ['permission bits', { mode: sameAttributes.mode ^ 0o4000n }],
    ['file type bits', { mode: (sameAttributes.mode & 0o7777n) | 0o120000n }],
    ['uid', { uid: 1001n }],
    ['gid', { gid: 2001n }],
    ['size', { size: sameAttributes.size + 1n }],
    ['mtime second', { mtimeNs: sameAttributes.mtimeNs + 1_000_000_000n }],
  ];
  for (const [label, fields] of differences) {
    assert.ok(!isUnifyable(file, changed(sameAttributes, fields), false), label);
  }
});

test('link count, rdev, atime and ctime are not compared', () => {
  const other = changed(sameAttributes, { nlink: 7n, rdev: 99n, atimeNs: 1n, ctimeNs: 2n, blocks: 1234n });
  assert.ok(isUnifyable(file, other, false));
});

test('--ignore-mtime ignores the mtime and nothing else', () => {
  const later = changed(sameAttributes, { mtimeNs: 4_000_000_000_000_000_000n });
  assert.ok(!isUnifyable(file, later, false));
  assert.ok(isUnifyable(file, later, true));
  assert.ok(!isUnifyable(file, changed(later, { uid: 1n }), true));
});

test('whole seconds of an mtime round towards minus infinity, like st_mtime', () => {
  const at = (mtimeNs: bigint): bigint => mtimeSeconds(changed(file, { mtimeNs }));
  assert.equal(at(0n), 0n);
  assert.equal(at(999_999_999n), 0n);
  assert.equal(at(1_000_000_000n), 1n);
  assert.equal(at(-1n), -1n);
  assert.equal(at(-999_999_999n), -1n);
  assert.equal(at(-1_000_000_000n), -1n);
  assert.equal(at(-1_000_000_001n), -2n);
  assert.equal(at(-1_500_000_000n), -2n);
  assert.equal(at((1n << 40n) * 1_000_000_000n + 5n), 1n << 40n);
  assert.equal(at(-(1n << 40n) * 1_000_000_000n - 5n), -(1n << 40n) - 1n);
});

test('a real file 1.5 s before 1970 has st_mtime -2', () => {
  const path = join(base, 'old');
  writeFileSync(path, 'x');
  utimesSync(path, new Date(-1500), new Date(-1500));
  const st = lstatSync(path, { bigint: true });
  assert.equal(st.mtimeNs, -1_500_000_000n);
  assert.equal(mtimeSeconds(st), -2n);
});

test('mtimes in the same negative second are equal, across a second boundary they are not', () => {
  const a = changed(sameAttributes, { mtimeNs: -1_200_000_000n });
  const b = changed(file, { mtimeNs: -1_900_000_000n });
  const c = changed(file, { mtimeNs: -800_000_000n });
  assert.ok(isUnifyable(b, a, false));
  assert.ok(!isUnifyable(c, a, false));
});
