// Issue 10.3/10.4 on a real ext4 file system (a loop image made here): files with capabilities, ACLs
// or user attributes stay private and intact, new entries keep the SELinux label and nanosecond
// times, and -vvvvvv lists `.` and `..` where getdents64 returns them (as `ls -f` shows).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';
import { AT_FDCWD, O_RDONLY, O_WRONLY } from '../../src/sys/constants.js';
import { utimensAt } from '../../src/sys/file-meta.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { getXattr, listXattrs, setXattr } from '../../src/sys/xattrs.js';
import { createExt4Mount, type TestMount } from '../sys/fs-fixtures.js';
import { CAP_NET_RAW, formatAcl, formatCapability } from '../support/xattr-blobs.js';

let fs: TestMount;
let counter = 0;
before(() => {
  process.umask(0o022);
  fs = createExt4Mount('nothing-lost');
});
after(() => fs?.remove());

const CONTENT = 'the same bytes in several files of the guest, well over sixteen\n';

interface Site {
  dir: string;
  guest: string;
  hashDir: string;
}

function createSite(): Site {
  const dir = join(fs.dir, `s${counter++}`);
  const site = { dir, guest: join(dir, 'guest'), hashDir: join(dir, 'hash') };
  mkdirSync(site.guest, { recursive: true });
  mkdirSync(join(site.hashDir, 'root'), { recursive: true });
  writeFileSync(join(dir, 'exclude'), '');
  return site;
}

async function hashify(site: Site, options: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const out: Output = { out: (t) => stdout.push(Buffer.from(t)), err: (t) => stderr.push(Buffer.from(t)), flush: () => undefined };
  const code = await main(['--protect', 'none', '--manually', '--destination', site.hashDir, ...options, site.guest, join(site.dir, 'exclude')], {
    argv0: 'vhashify', cwd: site.dir, env: { VHASHIFY_CACHE_DIR: join(site.dir, 'cache'), VHASHIFY_HINTS: '0' }, out,
  });
  return { code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

function withFile<T>(path: string, flags: number, fn: (fd: number) => T): T {
  const fd = openAt(AT_FDCWD, Buffer.from(path), flags);
  try {
    return fn(fd);
  } finally {
    closeFd(fd);
  }
}

function readXattrs(path: string): Record<string, string> {
  return withFile(path, O_RDONLY, (fd) => Object.fromEntries(listXattrs(fd).map((name) => [name.toString(), getXattr(fd, name)!.toString('hex')])));
}

test('files with a file capability, a POSIX ACL or a user attribute stay private with content and attributes intact, and say why', async () => {
  const site = createSite();
  const planted: Record<string, [string, Buffer]> = {
    ping: ['security.capability', formatCapability(CAP_NET_RAW)],
    shared: ['system.posix_acl_access', formatAcl()],
    tagged: ['user.origin', Buffer.from('the guest put this here')],
  };
  for (const name of [...Object.keys(planted), 'plain1', 'plain2']) writeFileSync(join(site.guest, name), CONTENT);
  for (const [name, [attr, value]] of Object.entries(planted)) withFile(join(site.guest, name), O_WRONLY, (fd) => setXattr(fd, attr, value));
  const before = Object.fromEntries(Object.keys(planted).map((name) => [name, { ino: lstatSync(join(site.guest, name)).ino, xattrs: readXattrs(join(site.guest, name)) }]));

  const run = await hashify(site, ['-vv']);
  assert.equal(run.code, 0, run.stderr);
  for (const name of Object.keys(planted)) assert.ok(run.stdout.includes(`  skipping '/${name}' (extended attributes)\n`), `${name}: ${run.stdout}`);
  assert.ok(run.stdout.includes("unifying   '/plain1'\n") && run.stdout.includes("unifying   '/plain2'\n"));
  for (const [name, was] of Object.entries(before)) {
    const now = lstatSync(join(site.guest, name));
    assert.equal(now.ino, was.ino, `${name} is the same inode`);
    assert.equal(now.nlink, 1, `${name} is not shared`);
    assert.equal(readFileSync(join(site.guest, name), 'utf8'), CONTENT);
    assert.deepEqual(readXattrs(join(site.guest, name)), was.xattrs, `${name} keeps its attributes`);
  }
  assert.equal(lstatSync(join(site.guest, 'plain1')).ino, lstatSync(join(site.guest, 'plain2')).ino, 'the plain twins are shared');
});

test('a new entry keeps the SELinux label and the modification time to the nanosecond', async () => {
  const site = createSite();
  const label = Buffer.from('system_u:object_r:bin_t:s0\0');
  for (const name of ['a', 'b']) {
    const path = join(site.guest, name);
    writeFileSync(path, CONTENT);
    withFile(path, O_WRONLY, (fd) => setXattr(fd, 'security.selinux', label));
    utimensAt(AT_FDCWD, Buffer.from(path), 1_600_000_000_123_000_000n, 1_500_000_000_123_456_789n);
  }
  const mtime = lstatSync(join(site.guest, 'a'), { bigint: true }).mtimeNs;
  assert.equal(mtime, 1_500_000_000_123_456_789n, 'the source has nanoseconds');
  const run = await hashify(site, []);
  assert.equal(run.code, 0, run.stderr);
  const now = lstatSync(join(site.guest, 'a'), { bigint: true });
  assert.equal(now.nlink, 3n, 'both guest files and the entry are one inode');
  assert.equal(now.mtimeNs, mtime);
  assert.deepEqual(withFile(join(site.guest, 'a'), O_RDONLY, (fd) => getXattr(fd, 'security.selinux')), label);
});

test('at -vvvvvv the . and .. lines come where getdents64 lists them, in the order ls -f shows', async () => {
  const site = createSite();
  // Enough names for ext4 to index the directory (hash order, not creation order).
  for (let i = 0; i < 300; i += 1) writeFileSync(join(site.guest, `file-${i.toString().padStart(3, '0')}`), i % 3 === 0 ? 'tiny' : `${CONTENT}${i}\n`);
  const listing = spawnSync('ls', ['-f', site.guest], { encoding: 'utf8' });
  assert.equal(listing.status, 0);
  const expected = listing.stdout.split('\n').filter((n) => n !== '');
  assert.ok(expected.includes('.') && expected.includes('..'));
  assert.notDeepEqual(expected.slice(2), [...expected.slice(2)].sort(), 'ext4 lists this directory out of name order');
  const run = await hashify(site, ['-n', '-vvvvvv']);
  assert.equal(run.code, 0, run.stderr);
  const order = run.stdout.split('\n')
    .map((line) => /^(?:  skipping|unifying  ) '\/([^']*)'/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  assert.deepEqual(order, expected);
});
