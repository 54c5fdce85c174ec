import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createCloneStats, createUnhashifyStats, formatCloneLine, formatCloneSummary, formatUnhashifySummary, formatUnsharedSummary, formatUnsharingLine,
} from '../../src/report/admin-lines.js';

const text = (line: Buffer | undefined): string | undefined => line?.toString('latin1');

describe('formatUnsharingLine', () => {
  it('prints from -v2, in a dry run at every level, the entry from -v4, aligned with upstream\'s unifying lines', () => {
    const path = Buffer.from('/etc/\xff', 'latin1');
    assert.equal(text(formatUnsharingLine(path, '/h/root/ab/cd/ef-00000000', 1, false)), undefined);
    assert.equal(text(formatUnsharingLine(path, '/h/root/ab/cd/ef-00000000', 2, false)), "unsharing  '/etc/\xff'\n");
    assert.equal(text(formatUnsharingLine(path, '/h/root/ab/cd/ef-00000000', 0, true)), "unsharing  '/etc/\xff'\n");
    assert.equal(text(formatUnsharingLine(path, '/h/root/ab/cd/ef-00000000', 4, false)), "unsharing  '/etc/\xff' (from '/h/root/ab/cd/ef-00000000')\n");
    assert.equal("unsharing  '".length, "unifying   '".length);
  });
});

describe('formatUnhashifySummary', () => {
  it('counts names, copies and bytes, and what stayed shared', () => {
    const stats = { ...createUnhashifyStats(), files: 3, copies: 2, copiedBytes: 100n };
    assert.equal(formatUnhashifySummary(Buffer.from('g1'), stats, false).toString(), "vhashify: 'g1': 3 files made private again (2 copies, 100 bytes)\n");
    assert.equal(formatUnhashifySummary(Buffer.from('g1'), { ...stats, failures: 1 }, true).toString(), "vhashify: 'g1': 3 files would be made private again (2 copies, 100 bytes), 1 left shared\n");
  });
});

describe('clone lines', () => {
  it('prints a line per file from -v2', () => {
    assert.equal(text(formatCloneLine('linking', Buffer.from('/a'), 1)), undefined);
    assert.equal(text(formatCloneLine('linking', Buffer.from('/a'), 2)), "linking    '/a'\n");
    assert.equal(text(formatCloneLine('copying', Buffer.from('/b'), 2)), "copying    '/b'\n");
  });

  it('sums a clone up, naming only the unusual counts when they occur', () => {
    const stats = { ...createCloneStats(), linked: 5, copied: 2, copiedBytes: 40n, directories: 3, symlinks: 1, special: 2 };
    assert.equal(formatCloneSummary(Buffer.from('g1'), Buffer.from('g2'), stats, false).toString(),
      "vhashify: cloned 'g1' to 'g2': 5 files linked to the store, 2 copied (40 bytes), 3 directories, 1 symbolic links, 2 other files\n");
    assert.equal(formatCloneSummary(Buffer.from('g1'), Buffer.from('/t'), { ...stats, hardLinked: 1, mountPoints: 1, failures: 2 }, true).toString(),
      "vhashify: would clone 'g1' to '/t': 5 files linked to the store, 2 copied (40 bytes), 1 hard links kept, 3 directories, 1 symbolic links, 2 other files, 1 mount points left empty, 2 failed\n");
  });
});

describe('formatUnsharedSummary', () => {
  it('says what was made private, how the command ended and how the second hashify went', () => {
    const g = Buffer.from('g1');
    assert.equal(formatUnsharedSummary(g, 4, 0, { exitCode: 0, linked: 3 }).toString(), "vhashify: guest 'g1': 4 files made private, the command exited with status 0, hashified again (3 files unified)\n");
    assert.equal(formatUnsharedSummary(g, 2, undefined, { exitCode: 75, linked: 0 }).toString(), "vhashify: guest 'g1': 2 files made private, the command was not run, hashifying it again failed (exit status 75)\n");
  });
});
