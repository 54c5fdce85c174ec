// --clone on sandbox guests: a tree equal to the source, store entries linked (under `immutable`
// too, where `cp -al` fails), and by name a configuration the new guest can be hashified with.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AT_FDCWD, O_NOFOLLOW, O_RDONLY } from '../../src/sys/constants.js';
import { mknodAt } from '../../src/sys/link-ops.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { setXattr } from '../../src/sys/xattrs.js';
import {
  createAdminSite, describeContent, hasImmutableFlag, listLinkedFiles, snapshotTree, type AdminSite,
} from './admin-site.js';

const sites: AdminSite[] = [];
after(() => {
  for (const site of sites) site.remove();
});

function newSite(protect: 'immutable' | 'none'): AdminSite {
  const site = createAdminSite(protect, 'clone');
  sites.push(site);
  return site;
}

// A guest with what real ones have: shared files, private and small ones, attributes, links, devices.
function addRichGuest(site: AdminSite, name: string): string {
  const root = site.addGuest(name, {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh, shared\n',
    'usr/bin/ping': ['#!/bin/sh\necho ping, with a capability\n', { mode: 0o755 }],
    'usr/bin/su': ['#!/bin/sh\necho a set-user-id program\n', { mode: 0o4755 }],
    'home/user/notes': [`private notes of a user of ${name}\n`, { uid: 1000, gid: 100, mode: 0o600 }],
    'etc/hostname': 'tiny\n',
    'var/lib/hard1': 'a file with two names inside the guest\n',
  });
  linkSync(join(root, 'var/lib/hard1'), join(root, 'var/lib/hard2'));
  setAttribute(join(root, 'usr/bin/ping'), 'security.capability', Buffer.from('0100000200200000000000000000000000000000', 'hex'));
  setAttribute(join(root, 'var/lib/hard1'), 'user.keep', Buffer.from('private')); // so it stays out of the store
  symlinkSync('/usr/bin/su', join(root, 'usr/bin/sudo'));
  mkdirSync(join(root, 'dev'));
  const dev = openAt(AT_FDCWD, Buffer.from(join(root, 'dev')), O_RDONLY);
  mknodAt(dev, Buffer.from('null'), 0o020666, 0x103n);
  mknodAt(dev, Buffer.from('initctl'), 0o010600, 0n);
  closeFd(dev);
  return root;
}

function setAttribute(path: string, name: string, value: Buffer): void {
  const fd = openAt(AT_FDCWD, Buffer.from(path), O_RDONLY | O_NOFOLLOW);
  try {
    setXattr(fd, name, value);
  } finally {
    closeFd(fd);
  }
}

function withoutInodes(root: string): Map<string, unknown> {
  return new Map([...snapshotTree(root)].map(([path, state]) => [path, describeContent(state)]));
}

test('a clone by name under immutable equals its source, links every store entry, and gets a configuration it can be hashified with', async () => {
  const site = newSite('immutable');
  const g1 = addRichGuest(site, 'g1');
  addRichGuest(site, 'g0');
  const cfg = join(site.box.confDir, 'g1');
  writeFileSync(join(cfg, 'context'), '1001\n');
  mkdirSync(join(cfg, 'uts'));
  writeFileSync(join(cfg, 'uts/nodename'), 'g1.example.org\n');
  symlinkSync(`${site.box.top}/var/run/vservers/g1`, join(cfg, 'run'));
  for (const guest of ['g0', 'g1']) assert.equal((await site.run([guest])).code, 0);
  const entries = listLinkedFiles(g1, site.store).sort();
  assert.deepEqual(entries, ['etc/passwd', 'home/user/notes', 'usr/bin/su']);
  assert.notEqual(spawnSync('cp', ['-al', g1, join(site.box.top, 'cp-al')]).status, 0, 'cp -al fails on immutable entries');

  const result = await site.run(['--clone', 'g1', 'g2']);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  const g2 = join(site.box.vserverDir, 'g2');
  const cfg2 = join(site.box.confDir, 'g2');
  assert.equal(result.stdout, [
    "vhashify: cloned 'g1' to 'g2': 3 files linked to the store, 3 copied (83 bytes), 1 hard links kept, 8 directories, 1 symbolic links, 2 other files",
    `vhashify: new guest 'g2': configuration '${cfg2}', tree '${g2}'`,
    "vhashify: per-guest settings of 'g1' were not copied; set them for 'g2' before it starts:",
    `  ${cfg2}/context`,
    `  ${cfg2}/uts/nodename`,
    '',
  ].join('\n'));
  assert.deepEqual(withoutInodes(g2), withoutInodes(g1));
  const source = snapshotTree(g1);
  const clone = snapshotTree(g2);
  for (const [path, state] of source) {
    if (state.type !== 'file') continue;
    assert.equal(clone.get(path)!.ino === state.ino, entries.includes(path), `${path}: linked exactly when it is a store entry`);
  }
  for (const path of entries) assert.ok(hasImmutableFlag(join(g2, path)), `${path} keeps its protection`);
  assert.equal(readlinkSync(join(cfg2, 'vdir')), g2);
  assert.equal(readlinkSync(join(cfg2, 'run')), `${site.box.top}/var/run/vservers/g2`);
  assert.ok(existsSync(join(cfg2, 'apps/vunify')));

  const hashify = await site.run(['-vvv', 'g2']);
  assert.equal(hashify.code, 0);
  assert.doesNotMatch(hashify.stdout, /unifying/, 'nothing is left to link');
  assert.match(hashify.stdout, /skipping '\/etc\/passwd' \(already unified\)/);
});

test('a clone between directories copies just the tree, linked to the store given with --destination', async () => {
  const site = newSite('none');
  const g1 = addRichGuest(site, 'g1');
  addRichGuest(site, 'g0');
  for (const guest of ['g0', 'g1']) assert.equal((await site.run([guest])).code, 0);
  const dest = join(site.box.top, 'vservers/copy');
  const hash = join(site.box.confDir, '.defaults/apps/vunify/hash');
  const result = await site.run(['--clone', '--destination', hash, '-vv', `${g1}/`, dest]);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^linking {4}'\/etc\/passwd'$/m);
  assert.match(result.stdout, /^copying {4}'\/usr\/bin\/ping'$/m);
  assert.deepEqual(withoutInodes(dest), withoutInodes(g1));
  assert.deepEqual(listLinkedFiles(dest, site.store).sort(), listLinkedFiles(g1, site.store).sort());
  assert.ok(!existsSync(join(site.box.confDir, 'copy')), 'no configuration for a directory');
});

test('a dry run reports the plan and creates nothing; an existing destination is refused', async () => {
  const site = newSite('immutable');
  addRichGuest(site, 'g1');
  addRichGuest(site, 'g0');
  for (const guest of ['g0', 'g1']) assert.equal((await site.run([guest])).code, 0);
  const before = snapshotTree(site.box.top);
  const dry = await site.run(['-n', '--clone', 'g1', 'g2']);
  assert.equal(dry.code, 0);
  assert.match(dry.stdout, /^vhashify: would clone 'g1' to 'g2': 3 files linked to the store, 3 copied \(83 bytes\), 1 hard links kept/);
  assert.match(dry.stdout, /^vhashify: would create guest 'g2': configuration '.*\/g2', tree '.*\/g2'$/m);
  assert.deepEqual(snapshotTree(site.box.top), before);

  for (const [args, message] of [
    [['--clone', 'g1', 'g0'], /^vhashify: guest 'g0' exists already \('.*\/etc\/vservers\/g0'\); nothing was changed\n$/],
    [['--clone', 'g1', join(site.box.vserverDir, 'g0')], /^vhashify: '.*\/vservers\/g0' exists already; nothing was changed\n$/],
    [['--clone', 'g1'], /^vhashify: '--clone' takes two arguments/],
    [['--clone', '--all', 'g1', 'g3'], /^vhashify: '--clone' works on one guest: it does not go with '--all'\n$/],
  ] as const) {
    const refused = await site.run(args);
    assert.equal(refused.code, 1, args.join(' '));
    assert.match(refused.stderr, message);
  }
  assert.deepEqual(snapshotTree(site.box.top), before);
  assert.equal(readFileSync(join(site.box.vserverDir, 'g0/etc/passwd'), 'utf8'), 'root:x:0:0:root:/root:/bin/sh, shared\n');
});
