import assert from 'node:assert/strict';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertSharing, checkTreeSharing, createSharingCheck, findChangedFact, isEligible, type StoreContents } from '../bench/check-sharing.js';
import { readManifest, type FileFacts, type Manifest } from '../bench/manifest.js';

const facts = (over: Partial<FileFacts> = {}): FileFacts => ({
  size: 100, mode: 0o100644, uid: 0, gid: 0, mtimeSec: 1000, digest: 'd1', inode: 'i1', nlink: 1, excluded: false, keptPrivate: false, ...over,
});
const pristine: Manifest = new Map([
  ['g1/a', facts({ inode: 'p1' })],
  ['g2/a', facts({ inode: 'p2' })],
  ['g2/b', facts({ inode: 'p3', digest: 'd2' })],
  ['g1/small', facts({ inode: 'p4', size: 15, digest: 'd3' })],
  ['g1/etc/x', facts({ inode: 'p5', excluded: true })],
]);
const run = (after: Record<string, FileFacts>, policy: 'ours' | 'hardlink', store?: StoreContents) => {
  const check = createSharingCheck(pristine, policy, store);
  for (const [key, f] of Object.entries(after)) check.visit(key, f);
  return check.finish();
};
const good = {
  'g1/a': facts({ inode: 's1', nlink: 3 }),
  'g2/a': facts({ inode: 's1', nlink: 3 }),
  'g2/b': facts({ inode: 's2', digest: 'd2', nlink: 2 }),
  'g1/small': facts({ inode: 'p4', size: 15, digest: 'd3' }),
  'g1/etc/x': facts({ inode: 'p5', excluded: true }),
};
const store: StoreContents = { entries: 2, inodes: new Set(['s1', 's2']) };

describe('createSharingCheck', () => {
  it('passes when identical files share one inode and the rest is untouched', () => {
    const report = run(good, 'ours', store);
    assert.deepEqual(report, { files: 5, eligible: 3, groups: 2, problems: 0, examples: [] });
  });

  it('reports identical files left as separate inodes', () => {
    const report = run({ ...good, 'g2/a': facts({ inode: 'other', nlink: 1 }) }, 'ours', store);
    assert.deepEqual(report.examples, ['g2/a: identical to g1/a but not the same inode', 'g2/a: not linked to a store entry']);
  });

  it('reports a changed content or metadata even when everything is shared', () => {
    const report = run({ ...good, 'g1/a': facts({ inode: 's1', digest: 'dX' }), 'g2/a': facts({ inode: 's1', mtimeSec: 999 }) }, 'hardlink');
    assert.deepEqual(report.examples, ['g1/a: content changed', 'g2/a: mtime changed']);
  });

  it('reports missing files and files that were not there before', () => {
    const { 'g2/b': _gone, ...rest } = good;
    const report = run({ ...rest, 'g2/b;x1Yz9Q': facts() }, 'ours', { entries: 1, inodes: new Set(['s1']) });
    assert.deepEqual(report.examples, ['g2/b;x1Yz9Q: a file that was not there before', 'g2/b: missing after the run']);
  });

  it('requires hardlink to link excluded paths too, and our tool to leave them alone', () => {
    const linked = { ...good, 'g1/etc/x': facts({ inode: 's1', nlink: 4, excluded: true }) };
    assert.equal(run(linked, 'hardlink').problems, 0);
    assert.deepEqual(run(good, 'hardlink').examples, ['g1/etc/x: identical to g1/a but not the same inode']);
    const ours = run(linked, 'ours', store);
    assert.equal(ours.problems, 1);
    assert.match(ours.examples[0]!, /g1\/etc\/x: not to be touched, but its link count went from 1 to 4/);
  });

  it('requires upstream to share the files ours keeps private for their attributes, but not excluded paths', () => {
    const withCaps = new Map([...pristine, ['g2/ping', facts({ inode: 'p6', digest: 'd4', keptPrivate: true })]]);
    const check = (policy: 'ours' | 'upstream', ping: FileFacts, entries: number) => {
      const c = createSharingCheck(withCaps, policy, { entries, inodes: new Set(['s1', 's2', 's3']) });
      for (const [key, f] of Object.entries({ ...good, 'g2/ping': ping })) c.visit(key, f);
      return c.finish();
    };
    const linked = facts({ inode: 's3', digest: 'd4', nlink: 2, keptPrivate: false });
    const untouched = facts({ inode: 'p6', digest: 'd4', keptPrivate: true });
    assert.deepEqual([check('upstream', linked, 3).problems, check('ours', untouched, 2).problems], [0, 0]);
    assert.deepEqual(check('upstream', untouched, 2).examples, ['g2/ping: not linked to a store entry', 'the store holds 2 entries for 3 groups of identical files']);
    assert.match(check('ours', linked, 3).examples[0]!, /g2\/ping: not to be touched, but its link count went from 1 to 2/);
    assert.equal(isEligible(facts({ excluded: true }), 'upstream'), false);
  });

  it('requires every eligible file of ours to be a store entry, one entry per group', () => {
    assert.match(run(good, 'ours', { entries: 2, inodes: new Set(['s1']) }).examples[0]!, /g2\/b: not linked to a store entry/);
    assert.match(run(good, 'ours', { entries: 3, inodes: new Set(['s1', 's2', 's3']) }).examples[0]!, /store holds 3 entries for 2 groups/);
  });

  it('keeps files under 16 bytes out of sharing for both tools', () => {
    assert.equal(isEligible(facts({ size: 15 }), 'hardlink'), false);
    assert.equal(isEligible(facts({ size: 16 }), 'hardlink'), true);
    assert.equal(isEligible(facts({ size: 16, excluded: true }), 'ours'), false);
    assert.equal(findChangedFact(facts(), facts({ uid: 5 })), 'owner');
    assert.equal(findChangedFact(facts(), facts({ inode: 'x', nlink: 9 })), undefined);
  });
});

describe('checkTreeSharing', () => {
  const base = mkdtempSync(join(tmpdir(), 'bench-check-'));
  after(() => rmSync(base, { recursive: true, force: true }));
  const put = (rel: string, content: string, mtime = 1_600_000_000): void => {
    mkdirSync(join(base, rel, '..'), { recursive: true });
    writeFileSync(join(base, rel), content);
    utimesSync(join(base, rel), mtime, mtime);
  };
  const guests = [{ name: 'g1', path: join(base, 'g1') }, { name: 'g2', path: join(base, 'g2') }];

  it('finds an unshared duplicate on disk, then passes once it is linked', () => {
    put('g1/usr/a', 'same content, long enough\n');
    put('g2/usr/a', 'same content, long enough\n');
    put('g2/usr/late', 'same content, long enough\n', 1_600_000_001);
    const manifest = readManifest(guests, () => false);
    const before = checkTreeSharing(manifest, guests, () => false, 'hardlink');
    assert.equal(before.problems, 1);
    assertThrowsSharing(() => assertSharing(before, 'test'));
    linkSync(join(base, 'g1/usr/a'), join(base, 'g2/usr/a.tmp'));
    renameSync(join(base, 'g2/usr/a.tmp'), join(base, 'g2/usr/a'));
    const afterLink = checkTreeSharing(manifest, guests, () => false, 'hardlink');
    assert.deepEqual({ problems: afterLink.problems, groups: afterLink.groups, eligible: afterLink.eligible }, { problems: 0, groups: 2, eligible: 3 });
  });

  it('counts store entries for our tool', () => {
    const storageRoot = join(base, 'hash', 'root');
    mkdirSync(join(storageRoot, 'ab', 'cd'), { recursive: true });
    const manifest = readManifest(guests, () => false);
    copyFileSync(join(base, 'g2/usr/late'), join(storageRoot, 'ab', 'cd', 'late-entry'));
    const report = checkTreeSharing(manifest, guests, () => false, 'ours', storageRoot);
    assert.ok(report.examples.includes('g2/usr/late: not linked to a store entry'));
    assert.ok(report.examples.includes('the store holds 1 entries for 2 groups of identical files'));
  });
});

function assertThrowsSharing(fn: () => void): void {
  assert.throws(fn, /test: sharing check failed with 1 problem\(s\):\n {2}g2\/usr\/a: identical to g1\/usr\/a but not the same inode/);
}
