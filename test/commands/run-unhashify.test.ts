// --unhashify on sandbox guests: a round trip back to the state before hashify, whatever the policy.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AT_FDCWD, O_NOFOLLOW, O_RDONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { getXattr, setXattr } from '../../src/sys/xattrs.js';
import { binPath, vserverStandInPath } from '../support/paths.js';
import { runCommand } from '../support/run-cli.js';
import {
  createAdminSite, describeContent, hasImmutableFlag, listLinkedFiles, listStoreInodes, snapshotTree, type AdminSite,
} from './admin-site.js';

const sites: AdminSite[] = [];
after(() => {
  for (const site of sites) site.remove();
});

function newSite(protect: 'immutable' | 'none'): AdminSite {
  const site = createAdminSite(protect, 'unhashify');
  sites.push(site);
  return site;
}

const SHARED = 'content that both guests have, long enough to be hashed\n';
const TOOL = '#!/bin/sh\necho a set-user-id tool shared by both guests\n';

// Files of every kind a guest has: shared with the other guest, twice in itself, private, small, with attributes.
function addTypicalGuest(site: AdminSite, name: string): string {
  const root = site.addGuest(name, {
    'etc/shared': SHARED,
    'etc/owned': ['owned by a user, shared by both guests\n', { uid: 1000, gid: 100, mode: 0o640 }],
    'usr/bin/tool': [TOOL, { mode: 0o4755 }],
    'usr/share/one': 'twice in this guest, once in the other one\n',
    'usr/share/two': 'twice in this guest, once in the other one\n',
    [`srv/${name}-only`]: `private content of ${name}, in no other guest\n`,
    'etc/small': 'tiny',
    'etc/tagged': 'a file with an extended attribute stays private\n',
  });
  const fd = openAt(AT_FDCWD, Buffer.from(join(root, 'etc/tagged')), O_RDONLY | O_NOFOLLOW);
  setXattr(fd, 'user.origin', Buffer.from(name));
  closeFd(fd);
  symlinkSync('shared', join(root, 'etc/link'));
  return root;
}

// The bytes of the distinct contents addTypicalGuest shares: what one copy per entry costs.
const COPIED_BYTES = [SHARED, 'owned by a user, shared by both guests\n', TOOL, 'twice in this guest, once in the other one\n', 'private content of g1, in no other guest\n']
  .reduce((sum, text) => sum + Buffer.byteLength(text), 0);

function inodesOf(root: string): Set<bigint> {
  return new Set([...snapshotTree(root).values()].filter((s) => s.type === 'file').map((s) => s.ino));
}

for (const protect of ['immutable', 'none'] as const) {
  test(`after --unhashify (${protect}) every path of the guest is as before hashify, and no file shares an inode with the store or the other guest`, async () => {
    const site = newSite(protect);
    const g1 = addTypicalGuest(site, 'g1');
    const g2 = addTypicalGuest(site, 'g2');
    const before = snapshotTree(g1);
    for (const guest of ['g1', 'g2']) assert.equal((await site.run([guest])).code, 0);
    const hashified = listLinkedFiles(g1, site.store);
    assert.deepEqual(hashified.sort(), ['etc/owned', 'etc/shared', 'usr/bin/tool', 'usr/share/one', 'usr/share/two', `srv/g1-only`].sort());
    const g2Linked = listLinkedFiles(g2, site.store);

    const result = await site.run(['--unhashify', '-v', 'g1']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `vhashify: 'g1': 6 files made private again (5 copies, ${COPIED_BYTES} bytes)\n`);

    const after = snapshotTree(g1);
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [path, state] of before) assert.deepEqual(describeContent(after.get(path)!), describeContent(state), path);
    assert.deepEqual(listLinkedFiles(g1, site.store), [], 'no guest file is a store entry');
    const g2Inodes = inodesOf(g2);
    assert.deepEqual([...inodesOf(g1)].filter((ino) => g2Inodes.has(ino)), [], 'no inode is shared with the other guest');
    assert.equal(after.get('usr/share/one')!.ino, after.get('usr/share/two')!.ino, 'one private copy per entry, all names linked to it');
    assert.equal(after.get('usr/share/one')!.nlink, 2n);
    for (const path of hashified) assert.equal(hasImmutableFlag(join(g1, path)), false, `${path} carries no flag`);
    assert.deepEqual(listLinkedFiles(g2, site.store), g2Linked, 'the other guest still shares its files');
    if (protect === 'immutable') for (const path of g2Linked) assert.ok(hasImmutableFlag(join(g2, path)), `${path} of g2 keeps its flag`);
    assert.ok(!existsSync(join(site.store, '.vhashify-tmp')), 'no copy is left in the store');
    const overview = JSON.parse((await site.run(['--overview', '--json', 'g1'])).stdout) as { guests: Array<{ linkedFiles: number; hashifiedPercent: number }> };
    assert.deepEqual([overview.guests[0]!.linkedFiles, overview.guests[0]!.hashifiedPercent], [0, 0], '--overview shows 0 %');
  });
}

test('files that took another entry\'s mtime under --ignore-mtime get everything else back', async () => {
  const site = newSite('immutable');
  const g1 = site.addGuest('g1', { 'etc/a': ['same bytes, other times\n', { mtime: new Date(1_600_000_000_000) }] });
  site.addGuest('g2', { 'etc/a': ['same bytes, other times\n', { mtime: new Date(1_400_000_000_000) }] });
  assert.equal((await site.run(['--ignore-mtime', 'g2'])).code, 0);
  const before = snapshotTree(g1);
  assert.equal((await site.run(['--ignore-mtime', 'g1'])).code, 0);
  assert.deepEqual(listLinkedFiles(g1, site.store), ['etc/a']);
  assert.equal((await site.run(['--unhashify', 'g1'])).code, 0);
  const after = snapshotTree(g1);
  for (const [path, state] of before) assert.deepEqual(describeContent(after.get(path)!, false), describeContent(state, false), path);
  assert.equal(after.get('etc/a')!.mtimeNs, 1_400_000_000_000_000_000n, 'the mtime is the entry\'s, as hashify left it');
  assert.deepEqual(listLinkedFiles(g1, site.store), []);
});

test('a dry run prints what would be made private and changes nothing', async () => {
  const site = newSite('immutable');
  const g1 = addTypicalGuest(site, 'g1');
  addTypicalGuest(site, 'g2');
  for (const guest of ['g1', 'g2']) assert.equal((await site.run([guest])).code, 0);
  const before = snapshotTree(site.box.top);
  const result = await site.run(['--unhashify', '-n', 'g1']);
  assert.equal(result.code, 0);
  const lines = result.stdout.split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('unsharing')).sort(), [
    "unsharing  '/etc/owned'", "unsharing  '/etc/shared'", "unsharing  '/srv/g1-only'", "unsharing  '/usr/bin/tool'",
    "unsharing  '/usr/share/one'", "unsharing  '/usr/share/two'",
  ]);
  assert.ok(result.stdout.endsWith(`vhashify: 'g1': 6 files would be made private again (5 copies, ${COPIED_BYTES} bytes)\n`));
  assert.deepEqual(snapshotTree(site.box.top), before);
  assert.equal(listLinkedFiles(g1, site.store).length, 6);
});

test('--path narrows the run to a file and a directory tree, found through the guest\'s own symlinks', async () => {
  const site = newSite('immutable');
  const files = {
    'usr/lib/libx.so': 'a library both guests have, long enough\n',
    'usr/lib/liby.so': 'another library both guests have, long\n',
    'etc/conf/a': 'configuration both guests have, first\n',
    'etc/conf/sub/b': 'configuration both guests have, second\n',
    'etc/other': 'configuration outside the chosen tree\n',
  };
  const g1 = site.addGuest('g1', files);
  site.addGuest('g2', files);
  symlinkSync('usr/lib', join(g1, 'lib'));
  symlinkSync('/etc/conf', join(g1, 'confdir')); // absolute: the guest's /etc/conf, never the host's
  for (const guest of ['g1', 'g2']) assert.equal((await site.run([guest])).code, 0);
  assert.equal(listLinkedFiles(g1, site.store).length, 5);
  const result = await site.run(['--unhashify', '--path', '/lib/libx.so', '--path', 'confdir', '-vv', 'g1']);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  assert.deepEqual(listLinkedFiles(g1, site.store).sort(), ['etc/other', 'usr/lib/liby.so']);

  const missing = await site.run(['--unhashify', '--path', '/lib/nothing', 'g1']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, "vhashify: --path '/lib/nothing': no such file or directory in the guest (at '/usr/lib/nothing')\n");
  assert.deepEqual(listLinkedFiles(g1, site.store).sort(), ['etc/other', 'usr/lib/liby.so']);
});

test('--package narrows the run to the files of installed dpkg packages, multiarch ones included', async () => {
  const site = newSite('immutable');
  const files = {
    'usr/share/foo/data': 'a file of package foo, in both guests\n',
    'usr/lib/x86_64-linux-gnu/libbar.so.1': 'a file of package bar, in both guests\n',
    'usr/share/other/data': 'a file of no chosen package, in both\n',
  };
  const g1 = site.addGuest('g1', {
    ...files,
    'etc/debian_version': '12.5\n',
    'var/lib/dpkg/info/foo.list': '/.\n/usr\n/usr/share\n/usr/share/foo\n/usr/share/foo/data\n/usr/share/foo/removed-since\n',
    'var/lib/dpkg/info/bar:amd64.list': '/.\n/usr/lib/x86_64-linux-gnu/libbar.so.1\n',
  });
  site.addGuest('g2', files);
  for (const guest of ['g1', 'g2']) assert.equal((await site.run([guest])).code, 0);
  assert.deepEqual(listLinkedFiles(g1, site.store).filter((p) => p.startsWith('usr/')).length, 3);
  const result = await site.run(['--unhashify', '--package', 'foo', '--package', 'bar', 'g1']);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  assert.deepEqual(listLinkedFiles(g1, site.store).filter((p) => p.startsWith('usr/')), ['usr/share/other/data']);

  const unknown = await site.run(['--unhashify', '--package', 'nosuch', 'g1']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^vhashify: guest 'g1': .*var\/lib\/dpkg\/info\/nosuch\.list: package 'nosuch' is not installed \(no file list\)\n$/);
});

test('a store entry that carries an extended attribute gives its private copy that attribute', async () => {
  const site = newSite('none');
  const g1 = site.addGuest('g1', { 'etc/a': SHARED });
  site.addGuest('g2', { 'etc/a': SHARED });
  for (const guest of ['g1', 'g2']) assert.equal((await site.run([guest])).code, 0);
  const [entryIno] = [...listStoreInodes(site.store)];
  assert.ok(entryIno !== undefined);
  // An entry made by upstream's tool, whose attribute was set later: what the copy must keep.
  const entryPath = findEntryPath(site.store);
  const fd = openAt(AT_FDCWD, Buffer.from(entryPath), O_RDONLY | O_NOFOLLOW);
  setXattr(fd, 'user.note', Buffer.from('kept'));
  setXattr(fd, 'trusted.note', Buffer.from('kept too'));
  closeFd(fd);
  assert.equal((await site.run(['--unhashify', 'g1'])).code, 0);
  const copy = openAt(AT_FDCWD, Buffer.from(join(g1, 'etc/a')), O_RDONLY | O_NOFOLLOW);
  try {
    assert.equal(getXattr(copy, 'user.note')?.toString(), 'kept');
    assert.equal(getXattr(copy, 'trusted.note')?.toString(), 'kept too');
  } finally {
    closeFd(copy);
  }
  assert.deepEqual(listLinkedFiles(g1, site.store), []);
});

test('--all --unhashify makes every opted-in guest private and skips a held one, saying so', async () => {
  const site = newSite('immutable');
  const g1 = addTypicalGuest(site, 'g1');
  const g2 = addTypicalGuest(site, 'g2');
  const g3 = addTypicalGuest(site, 'g3');
  assert.equal((await site.run(['--all'])).code, 0);
  writeFileSync(join(site.box.confDir, 'g3/apps/vunify/hold'), `pid=${process.pid}\nhost=${(await import('node:os')).hostname()}\nsince=now\ncommand=upgrade\n`);
  const result = await site.run(['--all', '--unhashify']);
  assert.equal(result.code, 0);
  assert.match(result.stderr, /^vhashify: guest 'g3' is held \(pid \d+ on .* since now, for: upgrade\); skipped\n$/);
  assert.deepEqual(listLinkedFiles(g1, site.store), []);
  assert.deepEqual(listLinkedFiles(g2, site.store), []);
  assert.equal(listLinkedFiles(g3, site.store).length, 6);
});

test('--manually --destination makes a tree given by path private', async () => {
  const site = newSite('none');
  const tree = site.box.mkdir('vservers/by-hand');
  const other = site.box.mkdir('vservers/by-hand-too');
  for (const dir of [tree, other]) {
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc/a'), SHARED);
  }
  const hash = join(site.box.confDir, '.defaults/apps/vunify/hash');
  for (const dir of [tree, other]) assert.equal((await site.run(['--manually', '--destination', hash, dir, ''])).code, 0);
  assert.deepEqual(listLinkedFiles(tree, site.store), ['etc/a']);
  const result = await site.run(['--manually', '--destination', hash, '--unhashify', '-v', tree]);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, `vhashify: '${tree}': 1 files made private again (1 copies, ${SHARED.length} bytes)\n`);
  assert.deepEqual(listLinkedFiles(tree, site.store), []);
  assert.deepEqual(listLinkedFiles(other, site.store), ['etc/a']);
});

function findEntryPath(store: string): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(dir, name.name));
      else if (/-[0-9a-f]{8}$/.test(name.name)) found.push(join(dir, name.name));
    }
  };
  walk(store);
  assert.equal(found.length, 1);
  return found[0]!;
}

test('vserver g1 hashify --unhashify, through the wrapper stand-in, makes the guest private', async () => {
  const site = newSite('immutable');
  const g1 = addTypicalGuest(site, 'g1');
  addTypicalGuest(site, 'g2');
  for (const guest of ['g1', 'g2']) assert.equal((await site.run([guest])).code, 0);
  const exports = Object.entries(site.env).map(([k, v]) => `export ${k}='${v}'`).join('\n');
  const launcher = site.box.write('usr/lib/util-vserver/vhashify', `#!/bin/sh\n${exports}\nexec '${process.execPath}' '${binPath}' "$@"\n`);
  chmodSync(launcher, 0o755);
  const wrapped = await runCommand(['bash', vserverStandInPath, 'g1', 'hashify', '--unhashify', '-v'], { env: site.env, cwd: site.box.top });
  assert.equal(wrapped.stderr.toString(), '');
  assert.equal(wrapped.exitCode, 0);
  assert.equal(wrapped.stdout.toString(), `vhashify: 'g1': 6 files made private again (5 copies, ${COPIED_BYTES} bytes)\n`);
  assert.deepEqual(listLinkedFiles(g1, site.store), []);
});
