import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_CONFFILE_LIMITS } from '../../src/config/conffile-limits.js';
import { GuestAccessError } from '../../src/config/guest-files.js';
import { openSysGuestRoot } from '../../src/config/sys-guest-files.js';
import { readDebianConffiles } from '../../src/config/read-debian-conffiles.js';
import { plantFifo, plantSymlink, writeGuestFile } from './guest-tree.js';

const INFO = 'var/lib/dpkg/info';

describe('readDebianConffiles', () => {
  const top = mkdtempSync(join(tmpdir(), 'vhashify-dpkg-'));
  after(() => rmSync(top, { recursive: true, force: true }));
  let count = 0;
  const newRoot = (): string => {
    const root = join(top, `g${++count}`);
    mkdirSync(root);
    return root;
  };
  const read = (root: string, limits = DEFAULT_CONFFILE_LIMITS): string[] =>
    readDebianConffiles(Buffer.from(root), openSysGuestRoot, limits).map((r) => r.pattern.toString('latin1'));
  const refusal = (root: string, limits = DEFAULT_CONFFILE_LIMITS): GuestAccessError => {
    try {
      read(root, limits);
    } catch (error) {
      if (error instanceof GuestAccessError) return error;
      throw error;
    }
    throw new Error('no refusal');
  };

  it('reads every *.conffiles in byte order of the names, as the C-locale glob orders them', () => {
    const root = newRoot();
    writeGuestFile(root, `${INFO}/zlib.conffiles`, '/etc/z\n');
    writeGuestFile(root, `${INFO}/Apkg.conffiles`, '/etc/A\n');
    writeGuestFile(root, `${INFO}/libc6:amd64.conffiles`, '/etc/ld.so.conf.d/x.conf\n');
    writeGuestFile(root, `${INFO}/base-files.conffiles`, '/etc/issue\nremove-on-upgrade /etc/old\n');
    writeGuestFile(root, `${INFO}/base-files.list`, '/etc/not-a-conffile\n');
    writeGuestFile(root, `${INFO}/.hidden.conffiles`, '/etc/hidden\n');
    writeGuestFile(root, `${INFO}/.conffiles`, '/etc/dotonly\n');
    mkdirSync(join(root, INFO, 'dir.conffiles'));
    assert.deepEqual(read(root), ['/etc/A', '/etc/issue', '/etc/old', '/etc/ld.so.conf.d/x.conf', '/etc/z']);
  });

  it('names the file and line each entry came from', () => {
    const root = newRoot();
    writeGuestFile(root, `${INFO}/p.conffiles`, '/etc/p1\n/etc/p2\n');
    const rules = readDebianConffiles(Buffer.from(root), openSysGuestRoot, DEFAULT_CONFFILE_LIMITS);
    assert.deepEqual(rules.map((r) => [r.source, r.line]), [
      [`${root}/${INFO}/p.conffiles`, 1],
      [`${root}/${INFO}/p.conffiles`, 2],
    ]);
  });

  it('keeps each file\'s unterminated last line apart from the next file', () => {
    const root = newRoot();
    writeGuestFile(root, `${INFO}/a.conffiles`, '/etc/a');
    writeGuestFile(root, `${INFO}/b.conffiles`, '/etc/b\n');
    assert.deepEqual(read(root), ['/etc/a', '/etc/b']);
  });

  it('gives an empty list for a guest without conffiles or without a dpkg directory', () => {
    const empty = newRoot();
    mkdirSync(join(empty, INFO), { recursive: true });
    assert.deepEqual(read(empty), []);
    assert.deepEqual(read(newRoot()), []);
  });

  it('refuses a planted symlink to a host file without reading the host file', () => {
    const root = newRoot();
    const secret = writeGuestFile(top, 'host-secret', '/HOST-SECRET\n');
    writeGuestFile(root, `${INFO}/a.conffiles`, '/etc/a\n');
    plantSymlink(root, `${INFO}/evil.conffiles`, secret);
    const error = refusal(root);
    assert.equal(error.code, 'symlink');
    assert.equal(error.path.toString(), `${root}/${INFO}/evil.conffiles`);
    assert.doesNotMatch(error.message, /HOST-SECRET/);
  });

  it('refuses a symlinked dpkg directory (it could lead anywhere on the host)', () => {
    const root = newRoot();
    writeGuestFile(top, 'hostinfo/x.conffiles', '/HOST\n');
    mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
    plantSymlink(root, INFO, join(top, 'hostinfo'));
    assert.equal(refusal(root).code, 'symlink');
    const viaVar = newRoot();
    plantSymlink(viaVar, 'var', join(top, 'hostinfo'));
    assert.equal(refusal(viaVar).code, 'symlink');
  });

  it('refuses a planted FIFO at once instead of blocking on it', () => {
    const root = newRoot();
    plantFifo(root, `${INFO}/fifo.conffiles`);
    assert.equal(refusal(root).code, 'not-regular');
  });

  it('refuses a huge file or too much in all, with a message naming the place', () => {
    const root = newRoot();
    writeGuestFile(root, `${INFO}/a.conffiles`, `/etc/${'x'.repeat(100)}\n`);
    writeGuestFile(root, `${INFO}/b.conffiles`, `/etc/${'y'.repeat(100)}\n`);
    const one = refusal(root, { ...DEFAULT_CONFFILE_LIMITS, maxFileBytes: 50 });
    assert.equal(one.code, 'too-large');
    assert.match(one.message, /a\.conffiles: is larger than 50 bytes/);
    const all = refusal(root, { ...DEFAULT_CONFFILE_LIMITS, maxTotalBytes: 150 });
    assert.equal(all.code, 'too-large');
    assert.match(all.message, /info: its \*\.conffiles files hold more than 150 bytes/);
  });
});
