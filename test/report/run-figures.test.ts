import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FiguresCollector, isScannedEntry } from '../../src/report/run-figures.js';
import { fakeFile, fakeSymlink, linkedEvent, skipEvent, unifyingEvent } from './report-fixture.js';

const BLOCK = 512n;

describe('FiguresCollector', () => {
  it('counts every entry met once, leaving . and .. out, and sorts skips by reason', () => {
    const c = new FiguresCollector();
    c.observe(skipEvent('.', 'dotfile'));
    c.observe(skipEvent('..', 'dotfile'));
    c.observe(skipEvent('etc', 'excluded'));
    c.observe(skipEvent('link', 'symlink', fakeSymlink(9n)));
    c.observe(skipEvent('small', 'too small', fakeFile(10n)));
    c.observe(skipEvent('known', 'already unified', fakeFile(11n, 2n)));
    c.observe(skipEvent('gone', 'fstat error'));
    c.observe(skipEvent('bad', 'general error', fakeFile(12n)));
    c.observe(skipEvent('cap', 'extended attributes', fakeFile(13n)));
    c.observe({ kind: 'dir-failed', path: Buffer.from('/locked') });
    c.observe({ kind: 'protection-failed' });
    const f = c.read();
    assert.equal(f.scanned, 7);
    assert.equal(f.eligible, 3, 'already unified, general error and extended attributes reached hashing');
    assert.deepEqual(f.skipped, {
      excluded: 1, symlink: 1, 'too small': 1, 'already unified': 1, 'fstat error': 1, 'general error': 1, 'extended attributes': 1,
    });
    assert.equal(f.alreadyUnified, 1);
    assert.deepEqual(f.errors, { total: 4, examine: 1, hash: 1, link: 0, directory: 1, protection: 1 });
    assert.equal(f.regularFiles, 4, 'every regular file with a stat, the symlink not');
  });

  it('counts a file linked to an existing entry as releasing its blocks', () => {
    const c = new FiguresCollector();
    const file = fakeFile(20n, 1n, 16n);
    const entry = fakeFile(30n, 3n, 16n);
    c.observe(unifyingEvent('a', file, 'E', entry));
    c.observe(linkedEvent('a', file, entry, false));
    const f = c.read();
    assert.equal(f.newlyUnified, 1);
    assert.equal(f.newEntries, 0);
    assert.equal(f.savedByRunBytes, 16n * BLOCK);
    assert.equal(f.eligible, 1);
    assert.equal(f.scanned, 1);
  });

  it('counts a copy into a new entry as releasing the old inode and writing the copy: nothing saved', () => {
    const c = new FiguresCollector();
    const file = fakeFile(20n, 1n, 16n);
    const copy = fakeFile(40n, 2n, 16n);
    c.observe(linkedEvent('a', file, copy, true));
    assert.equal(c.read().savedByRunBytes, 0n);
    assert.equal(c.read().newEntries, 1);
  });

  it('counts a sledgehammer entry, the file\'s own inode, as neither released nor written', () => {
    const c = new FiguresCollector();
    const file = fakeFile(20n, 1n, 16n);
    c.observe(linkedEvent('a', file, fakeFile(20n, 2n, 16n), true));
    assert.equal(c.read().savedByRunBytes, 0n);
  });

  it('releases an inode with several names only when the last of them moved, and never twice', () => {
    const c = new FiguresCollector();
    const entry = fakeFile(30n, 2n, 8n);
    c.observe(linkedEvent('a', fakeFile(50n, 3n, 8n), entry, false));
    c.observe(linkedEvent('b', fakeFile(50n, 3n, 8n), entry, false));
    assert.equal(c.read().savedByRunBytes, 0n, 'one name of the three is left');
    // The last name, looked at again after the others moved (its link count is now 1).
    c.observe(linkedEvent('c', fakeFile(50n, 1n, 8n), entry, false));
    assert.equal(c.read().savedByRunBytes, 8n * BLOCK);
  });

  it('says a copy of a file whose other names stay cost blocks: a negative saving', () => {
    const c = new FiguresCollector();
    c.observe(linkedEvent('a', fakeFile(50n, 2n, 8n), fakeFile(60n, 2n, 8n), true));
    assert.equal(c.read().savedByRunBytes, -8n * BLOCK);
  });

  it('tallies the sharing after the run: linked files by their entry, failures by their own inode', () => {
    const c = new FiguresCollector();
    const entry = fakeFile(30n, 3n, 8n, 4000n);
    c.observe(skipEvent('x', 'already unified', entry));
    c.observe(linkedEvent('y', fakeFile(20n), entry, false));
    c.observe({ kind: 'link-failed', path: Buffer.from('/z'), stat: fakeFile(21n), protectionFailed: false });
    const f = c.read();
    assert.equal(f.savedTotalBytes, 8n * BLOCK);
    assert.equal(f.pageCacheSharedBytes, 4000n);
    assert.equal(f.regularFiles, 3);
    assert.equal(f.inodes, 2);
    assert.equal(f.errors.link, 1);
    assert.equal(f.newlyUnified, 1);
  });

  it('counts a removed crash leftover as scanned, not as a file of the tree', () => {
    const c = new FiguresCollector();
    c.observe({ kind: 'leftover-removed', path: Buffer.from('/a;AbC123') });
    assert.equal(c.read().scanned, 1);
    assert.equal(c.read().leftoversRemoved, 1);
    assert.equal(c.read().regularFiles, 0);
  });
});

describe('isScannedEntry', () => {
  it('is true for skip lines other than . and .., unifying lines and removed leftovers only', () => {
    assert.equal(isScannedEntry(skipEvent('.', 'dotfile')), false);
    assert.equal(isScannedEntry(skipEvent('x', 'excluded')), true);
    assert.equal(isScannedEntry(unifyingEvent('a', fakeFile(1n), 'E')), true);
    assert.equal(isScannedEntry(linkedEvent('a', fakeFile(1n), fakeFile(2n), true)), false);
    assert.equal(isScannedEntry({ kind: 'leftover-removed', path: Buffer.from('/x') }), true);
    assert.equal(isScannedEntry({ kind: 'guest-end', exitCode: 0 }), false);
  });
});
