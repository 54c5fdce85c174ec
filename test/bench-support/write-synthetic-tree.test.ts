import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createContent } from '../bench/synthetic-content.js';
import { DEFAULT_SHAPE, planSyntheticGuests } from '../bench/synthetic-tree.js';
import { readManifest } from '../bench/manifest.js';
import { writeSyntheticGuests } from '../bench/write-synthetic-tree.js';

const base = mkdtempSync(join(tmpdir(), 'bench-write-'));
after(() => rmSync(base, { recursive: true, force: true }));
const shape = { ...DEFAULT_SHAPE, files: 400 };

describe('writeSyntheticGuests', () => {
  it('writes every planned file with its content, owner, mode and mtime', () => {
    const roots = [join(base, 'a1'), join(base, 'a2')];
    const written = writeSyntheticGuests(planSyntheticGuests(shape), roots);
    assert.equal(written.files, 400);
    for (const e of planSyntheticGuests(shape)) {
      const path = Buffer.concat([Buffer.from(roots[e.guest]!), e.path]);
      const stat = lstatSync(path);
      if (e.kind === 'symlink') {
        assert.ok(stat.isSymbolicLink());
        assert.ok(readlinkSync(path, { encoding: 'buffer' }).equals(e.target!));
        continue;
      }
      assert.ok(readFileSync(path).equals(createContent(e.contentSeed, e.size)), e.path.toString('latin1'));
      assert.equal(stat.mode & 0o7777, e.mode);
      assert.equal(stat.uid, e.uid);
      assert.equal(stat.gid, e.gid);
      assert.equal(stat.mtimeMs, e.mtime * 1000);
    }
  });

  it('writes the same tree twice from the same plan', () => {
    const first = [join(base, 'b1'), join(base, 'b2')];
    const second = [join(base, 'c1'), join(base, 'c2')];
    writeSyntheticGuests(planSyntheticGuests(shape), first);
    writeSyntheticGuests(planSyntheticGuests(shape), second);
    const strip = (roots: string[]) => {
      const m = readManifest(roots.map((path, k) => ({ name: `g${k}`, path })), () => false);
      return [...m.entries()].map(([key, f]) => `${key} ${f.digest} ${f.size} ${f.mode} ${f.uid} ${f.gid} ${f.mtimeSec} ${f.nlink}`).sort();
    };
    const listing = strip(first);
    assert.equal(listing.length, 400);
    assert.deepEqual(strip(second), listing);
  });

  it('refuses to overwrite an existing tree', () => {
    const roots = [join(base, 'd1'), join(base, 'd2')];
    writeSyntheticGuests(planSyntheticGuests({ ...shape, files: 20 }), roots);
    assert.throws(() => writeSyntheticGuests(planSyntheticGuests({ ...shape, files: 20 }), roots), /EEXIST/);
  });
});
