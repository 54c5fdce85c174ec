import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createExcludeCheck, readManifest } from '../bench/manifest.js';
import { findExcludeFile } from '../bench/jobs.js';
import { repoRoot } from '../support/paths.js';
import { AT_FDCWD, O_NOFOLLOW, O_RDONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { setXattr } from '../../src/sys/xattrs.js';

const base = mkdtempSync(join(tmpdir(), 'bench-manifest-'));
after(() => rmSync(base, { recursive: true, force: true }));
const put = (rel: string, content: string): void => {
  const path = join(base, 'g', rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  utimesSync(path, 1_700_000_000, 1_700_000_000);
};

describe('readManifest', () => {
  put('usr/bin/tool', 'a tool of some length\n');
  put('etc/termcap', 'kept by +/etc/termcap\n');
  put('etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
  put('var/lib/x/deep/file', 'below an excluded directory\n');
  put('usr/share/texmf/ls-R', 'excluded by /*/ls-R\n');
  linkSync(join(base, 'g/usr/bin/tool'), join(base, 'g/usr/bin/tool2'));
  put('usr/bin/ping', 'a file with an attribute of its own\n');
  const fd = openAt(AT_FDCWD, Buffer.from(join(base, 'g/usr/bin/ping')), O_RDONLY | O_NOFOLLOW);
  setXattr(fd, 'user.bench', Buffer.from('1'));
  closeFd(fd);
  const manifest = readManifest([{ name: 'g', path: join(base, 'g') }], createExcludeCheck(findExcludeFile(repoRoot)));

  it('marks what the default exclude list rules out, directories included', () => {
    assert.equal(manifest.get('g/usr/bin/tool')?.excluded, false);
    assert.equal(manifest.get('g/etc/termcap')?.excluded, false);
    assert.equal(manifest.get('g/etc/passwd')?.excluded, true);
    assert.equal(manifest.get('g/var/lib/x/deep/file')?.excluded, true);
    assert.equal(manifest.get('g/usr/share/texmf/ls-R')?.excluded, true);
  });

  it('marks files whose extended attributes keep them private in ours, apart from the exclude list', () => {
    assert.deepEqual(
      ['g/usr/bin/ping', 'g/usr/bin/tool', 'g/etc/passwd'].map((key) => [manifest.get(key)?.excluded, manifest.get(key)?.keptPrivate]),
      [[false, true], [false, false], [true, false]],
    );
  });

  it('records content digest, size, mtime, inode and link count', () => {
    const tool = manifest.get('g/usr/bin/tool')!;
    assert.equal(tool.digest, createHash('sha1').update('a tool of some length\n').digest('hex'));
    assert.equal(tool.size, 22);
    assert.equal(tool.mtimeSec, 1_700_000_000);
    assert.equal(tool.nlink, 2);
    assert.equal(manifest.get('g/usr/bin/tool2')?.inode, tool.inode);
    assert.notEqual(manifest.get('g/etc/termcap')?.digest, tool.digest);
    assert.equal(manifest.size, 7);
  });
});
