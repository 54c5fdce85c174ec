// The mount points below a tree, read from the kernel's mount table.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findMountPointsBelow, readMountPoints } from '../../src/walk/mount-points.js';
import { createTmpfsAt, createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';

let base = '';
before(() => {
  base = createTmpfsDir('mount-points');
  for (const dir of ['guest/srv', 'guest/with space', 'guest-other']) mkdirSync(join(base, dir), { recursive: true });
  createTmpfsAt(join(base, 'guest', 'srv'));
  createTmpfsAt(join(base, 'guest', 'with space'));
  createTmpfsAt(join(base, 'guest-other'));
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

describe('readMountPoints', () => {
  it('undoes the octal escapes of the mount table', () => {
    const table = Buffer.from('22 27 0:21 / /proc rw - proc proc rw\n40 27 0:40 / /srv/a\\040b\\134c rw - tmpfs none rw\n');
    assert.deepEqual(readMountPoints(table).map(String), ['/proc', '/srv/a b\\c']);
  });
});

describe('findMountPointsBelow', () => {
  it('lists the mount points strictly below a tree as guest paths, not those of a sibling with the same prefix', () => {
    const found = findMountPointsBelow(Buffer.from(join(base, 'guest'))).map(String);
    assert.deepEqual(found, ['/srv', '/with space']);
    assert.deepEqual(findMountPointsBelow(Buffer.from(`${join(base, 'guest')}/`)).map(String), found);
  });

  it('lists each mount point once, however often something is mounted on it', () => {
    const table = [Buffer.from('/g/a'), Buffer.from('/g/a'), Buffer.from('/g'), Buffer.from('/g/a/b')];
    assert.deepEqual(findMountPointsBelow(Buffer.from('/g'), table).map(String), ['/a', '/a/b']);
  });
});
