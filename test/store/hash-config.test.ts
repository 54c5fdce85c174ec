import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadHashConfig, resolveHashDir, type HashConfigResult } from '../../src/store/hash-config.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022); // the vectors' run environment
  base = mkdtempSync(join(tmpdir(), 'vhashify-hash-config-'));
});
after(() => {
  rmSync(base, { recursive: true, force: true });
});

// A fresh hash dir holding the given config files.
function createHashDir(files: Record<string, string | Buffer> = {}): string {
  const dir = join(base, `h${counter++}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  }
  return dir;
}

function failure(...lines: Array<string | Buffer>): HashConfigResult {
  return { ok: false, messages: lines.map((l) => (typeof l === 'string' ? Buffer.from(l, 'latin1') : l)), exitCode: 1 };
}

const summary = 'failed to initialize hash-configuration';

function readText(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'latin1');
}

test('a hash dir without config files gets method "sha256\\n" and blocks "all\\n"', () => {
  const dir = createHashDir();
  assert.deepEqual(loadHashConfig(dir, { dryRun: false }), { ok: true, algorithm: 'sha256', blocks: 'all', created: ['method', 'blocks'] });
  assert.equal(readText(dir, 'method'), 'sha256\n');
  assert.equal(readText(dir, 'blocks'), 'all\n');
  assert.equal(existsSync(join(dir, 'blocksize')), false);
  assert.equal(statSync(join(dir, 'method')).mode & 0o7777, 0o644);
  assert.equal(statSync(join(dir, 'blocks')).mode & 0o7777, 0o644);
});

test('a dry run creates nothing and uses the default', () => {
  const dir = createHashDir();
  assert.deepEqual(loadHashConfig(dir, { dryRun: true }), { ok: true, algorithm: 'sha256', blocks: 'all', created: [] });
  assert.deepEqual(readdirSync(dir), []);
});

test('a dry run in a hash dir that does not exist succeeds without creating it', () => {
  const missing = join(base, 'never-created');
  assert.deepEqual(loadHashConfig(missing, { dryRun: true }), { ok: true, algorithm: 'sha256', blocks: 'all', created: [] });
  assert.equal(existsSync(missing), false);
});

test('a real run in a hash dir that does not exist fails with open() and nothing else', () => {
  assert.deepEqual(loadHashConfig(join(base, 'no-such-hash'), { dryRun: false }), failure('open(): No such file or directory'));
});

test('a dangling symlink named method makes creation fail with open(): File exists', () => {
  const dir = createHashDir();
  symlinkSync('elsewhere', join(dir, 'method'));
  assert.deepEqual(loadHashConfig(dir, { dryRun: false }), failure('open(): File exists'));
  assert.equal(existsSync(join(dir, 'elsewhere')), false);
});

test('"SHA-1" followed by newlines and NULs is accepted', () => {
  const dir = createHashDir({ method: 'SHA-1\n\n\0\0', blocks: 'all\n' });
  assert.deepEqual(loadHashConfig(dir, { dryRun: true }), { ok: true, algorithm: 'sha1', blocks: 'all', created: [] });
});

test('other accepted spellings select md2, md5 and sha256', () => {
  for (const [text, algorithm] of [['md2\n', 'md2'], ['MD-5', 'md5'], ['SHA-256\n', 'sha256'], ['sha1\0junk\n', 'sha1']]) {
    const dir = createHashDir({ method: text!, blocks: 'all\n' });
    const result = loadHashConfig(dir, { dryRun: false });
    assert.deepEqual(result, { ok: true, algorithm, blocks: 'all', created: [] }, JSON.stringify(text));
  }
});

test('a trailing blank makes the method unknown', () => {
  const dir = createHashDir({ method: 'sha1 \n' });
  assert.deepEqual(loadHashConfig(dir, { dryRun: true }), failure("Can not find hash-function 'sha1 '", summary));
});

test('an unknown method is quoted raw, carriage return and invalid UTF-8 included', () => {
  assert.deepEqual(loadHashConfig(createHashDir({ method: 'bogus\n' }), { dryRun: false }),
    failure("Can not find hash-function 'bogus'", summary));
  assert.deepEqual(loadHashConfig(createHashDir({ method: 'sha1\r\n' }), { dryRun: false }),
    failure("Can not find hash-function 'sha1\r'", summary));
  const raw = Buffer.from([0x73, 0x68, 0xff, 0xfe, 0x0a]);
  assert.deepEqual(loadHashConfig(createHashDir({ method: raw }), { dryRun: false }),
    failure(Buffer.from([...Buffer.from("Can not find hash-function '"), 0x73, 0x68, 0xff, 0xfe, 0x27]), summary));
});

test('sha384 and sha512 are refused as too big', () => {
  const wow = 'Wow... what an huge hash-function. I can not handle so much bits; giving up...';
  for (const method of ['sha512\n', 'SHA-384\n']) {
    assert.deepEqual(loadHashConfig(createHashDir({ method }), { dryRun: false }), failure(wow, summary), method);
  }
});

test('an empty method file cannot be read, and blocks is then not touched', () => {
  const dir = createHashDir({ method: '' });
  assert.deepEqual(loadHashConfig(dir, { dryRun: false }), failure('Can not read configuration file for hash-method', summary));
  assert.equal(existsSync(join(dir, 'blocks')), false);
});

test('blocks "start" makes blocksize count, created as "0x10000" without a newline', () => {
  const dir = createHashDir({ method: 'md5\n', blocks: 'start\n' });
  assert.deepEqual(loadHashConfig(dir, { dryRun: false }), {
    ok: true, algorithm: 'md5', blocks: { start: true, middle: false, end: false }, blocksize: 0x10000n, created: ['blocksize'],
  });
  assert.equal(readText(dir, 'blocksize'), '0x10000');
});

test('a dry run with blocks "start" uses the default blocksize without creating it', () => {
  const dir = createHashDir({ method: 'md5\n', blocks: 'start\n' });
  const result = loadHashConfig(dir, { dryRun: true });
  assert.deepEqual(result, { ok: true, algorithm: 'md5', blocks: { start: true, middle: false, end: false }, blocksize: 0x10000n, created: [] });
  assert.equal(existsSync(join(dir, 'blocksize')), false);
});

test('an invalid blocks file fails with the offending token', () => {
  const dir = createHashDir({ method: 'md5\n', blocks: 'start,bogus\n' });
  assert.deepEqual(loadHashConfig(dir, { dryRun: true }), failure("Invalid block descriptor 'bogus'", summary));
});

test('comment lines in blocks behave as QUIRK Q15 says', () => {
  assert.deepEqual(loadHashConfig(createHashDir({ method: 'md5\n', blocks: '#c\nall\n' }), { dryRun: true }),
    { ok: true, algorithm: 'md5', blocks: 'all', created: [] });
  assert.deepEqual(loadHashConfig(createHashDir({ method: 'md5\n', blocks: '# comment\nall\n' }), { dryRun: true }),
    failure("Invalid block descriptor 'comment'", summary));
  assert.deepEqual(loadHashConfig(createHashDir({ method: 'md5\n', blocks: '#c\nstart end\n' }), { dryRun: true }),
    failure("Invalid block descriptor 'start end'", summary));
});

test('an empty blocks file cannot be read', () => {
  const dir = createHashDir({ method: 'md5\n', blocks: '' });
  assert.deepEqual(loadHashConfig(dir, { dryRun: true }), failure('Can not read configuration file for hash-blocks', summary));
});

test('blocksize is not even read while blocks is "all"', () => {
  const dir = createHashDir({ method: 'md5\n', blocks: 'all\n', blocksize: 'junk' });
  assert.deepEqual(loadHashConfig(dir, { dryRun: true }), { ok: true, algorithm: 'md5', blocks: 'all', created: [] });
});

test('blocksize values are parsed like strtol with automatic base', () => {
  const cases: ReadonlyArray<readonly [string, bigint]> = [['16\nfoo', 16n], ['0x10', 16n], ['010', 8n], ['-2\n', 2n ** 64n - 2n]];
  for (const [text, blocksize] of cases) {
    const dir = createHashDir({ method: 'md5\n', blocks: 'end\n', blocksize: text });
    assert.deepEqual(loadHashConfig(dir, { dryRun: true }),
      { ok: true, algorithm: 'md5', blocks: { start: false, middle: false, end: true }, blocksize, created: [] }, JSON.stringify(text));
  }
});

test('blocksize junk is refused with the text, and -1 without a message (QUIRK Q17)', () => {
  const load = (blocksize: string) => loadHashConfig(createHashDir({ method: 'md5\n', blocks: 'end\n', blocksize }), { dryRun: true });
  assert.deepEqual(load('12k\n'), failure("Failed to parse blocksize '12k'", summary));
  assert.deepEqual(load('\n'), failure("Failed to parse blocksize ''", summary));
  assert.deepEqual(load('-1\n'), failure(summary));
  assert.deepEqual(load(''), failure('Can not read configuration file for hash-blocksize', summary));
});

test('the hash dir string is used as given, also as bytes that are not UTF-8', () => {
  const dir = Buffer.concat([Buffer.from(join(base, 'odd-')), Buffer.from([0xff])]);
  mkdirSync(dir);
  assert.deepEqual(loadHashConfig(dir, { dryRun: false }), { ok: true, algorithm: 'sha256', blocks: 'all', created: ['method', 'blocks'] });
  assert.equal(readFileSync(Buffer.concat([dir, Buffer.from('/method')]), 'latin1'), 'sha256\n');
});

test('write errors are ignored for method but fatal for blocks', () => {
  const full = createTmpfsDir('config-full', '4k');
  try {
    writeFileSync(join(full, 'filler'), Buffer.alloc(4096));
    assert.deepEqual(loadHashConfig(full, { dryRun: false }), failure('write(): No space left on device'));
    assert.equal(readText(full, 'method'), '');
    assert.equal(existsSync(join(full, 'blocks')), true);
  } finally {
    removeTmpfsDir(full);
  }
});

test('an absolute destination is kept exactly as given', () => {
  assert.equal(resolveHashDir('/etc/vservers/.defaults/apps/vunify/hash/', '/root'), '/etc/vservers/.defaults/apps/vunify/hash/');
  assert.equal(resolveHashDir('/a/../b', '/root'), '/a/../b');
});

test('a relative destination is anchored at the start-up directory without normalising it', () => {
  assert.equal(resolveHashDir('hash', '/srv/x'), '/srv/x/hash');
  assert.equal(resolveHashDir('hash', '/'), '/hash');
  assert.equal(resolveHashDir('./a/../hash/', '/srv'), '/srv/./a/../hash/');
});

test('an empty destination stays empty, so config files land in / as upstream does (QUIRK Q03)', () => {
  assert.equal(resolveHashDir('', '/srv'), '');
});

test('destinations given as bytes keep their bytes', () => {
  const dest = Buffer.from([0x68, 0xff]);
  assert.deepEqual(resolveHashDir(dest, '/srv'), Buffer.from([0x2f, 0x73, 0x72, 0x76, 0x2f, 0x68, 0xff]));
});
