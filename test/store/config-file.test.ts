import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createConfigFile, readConfigFile } from '../../src/store/config-file.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vhashify-config-file-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function pathOf(name: string): Buffer {
  return Buffer.from(join(dir, name));
}

test('a file that cannot be opened reads as absent', () => {
  assert.deepEqual(readConfigFile(pathOf('missing')), { kind: 'absent' });
  symlinkSync('nowhere', join(dir, 'dangling'));
  assert.deepEqual(readConfigFile(pathOf('dangling')), { kind: 'absent' });
});

test('a file is read whole, byte for byte', () => {
  writeFileSync(join(dir, 'method'), Buffer.from('SHA-1\n\n\0\0', 'latin1'));
  assert.deepEqual(readConfigFile(pathOf('method')), { kind: 'content', data: Buffer.from('SHA-1\n\n\0\0', 'latin1') });
});

test('an empty file, a directory or a FIFO is unreadable', () => {
  writeFileSync(join(dir, 'empty'), '');
  mkdirSync(join(dir, 'adir'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  assert.deepEqual(readConfigFile(pathOf('empty')), { kind: 'unreadable' });
  assert.deepEqual(readConfigFile(pathOf('adir')), { kind: 'unreadable' });
  assert.deepEqual(readConfigFile(pathOf('fifo')), { kind: 'unreadable' });
});

test('created files get the content and mode 0644 minus the umask', () => {
  const old = process.umask(0o027);
  try {
    assert.deepEqual(createConfigFile(pathOf('created'), '0x10000', false), { ok: true });
  } finally {
    process.umask(old);
  }
  assert.equal(readFileSync(join(dir, 'created'), 'latin1'), '0x10000');
  assert.equal(statSync(join(dir, 'created')).mode & 0o7777, 0o640);
});

test('creation never replaces an existing name, not even a dangling symlink', () => {
  writeFileSync(join(dir, 'existing'), 'keep');
  assert.deepEqual(createConfigFile(pathOf('existing'), 'all\n', false), { ok: false, message: Buffer.from('open(): File exists') });
  assert.equal(readFileSync(join(dir, 'existing'), 'latin1'), 'keep');
  symlinkSync('target-that-would-be-created', join(dir, 'trap'));
  assert.deepEqual(createConfigFile(pathOf('trap'), 'all\n', false), { ok: false, message: Buffer.from('open(): File exists') });
  assert.throws(() => statSync(join(dir, 'target-that-would-be-created')));
});

test('creation in a missing directory fails with open()', () => {
  assert.deepEqual(createConfigFile(pathOf('no-dir/method'), 'sha256\n', true),
    { ok: false, message: Buffer.from('open(): No such file or directory') });
});
