import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { AT_FDCWD } from '../../src/sys/constants.js';
import { closeFd } from '../../src/sys/open-at.js';
import {
  getVserverIattrAt, getVserverVersion, IATTR_IMMUTABLE, IATTR_IUNLINK, setVserverIattrAt,
} from '../../src/sys/vserver-attrs.js';
import { repoRoot } from '../support/paths.js';
import { openDirPath } from './fs-fixtures.js';

// A Linux-VServer kernel publishes /proc/virtual; this suite runs on stock kernels only.
const stockKernel = !existsSync('/proc/virtual');

describe('on a stock kernel', { skip: !stockKernel && 'this is a Linux-VServer kernel' }, () => {
  let dir = '';
  let dirFd = -1;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vhashify-sys-vserver-'));
    writeFileSync(join(dir, 'file'), 'content of at least sixteen bytes');
    dirFd = openDirPath(dir);
  });
  after(() => {
    if (dirFd >= 0) closeFd(dirFd);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the version query fails with ENOSYS, as upstream sees it', () => {
    assert.throws(() => getVserverVersion(), { code: 'ENOSYS', syscall: 'vc_get_version' });
  });

  test('get and set iattr fail with ENOSYS, by directory descriptor or by absolute path', () => {
    assert.throws(() => getVserverIattrAt(dirFd, Buffer.from('file')), { code: 'ENOSYS', syscall: 'vc_get_iattr' });
    assert.throws(() => getVserverIattrAt(AT_FDCWD, Buffer.from(join(dir, 'file'))), { code: 'ENOSYS' });
    const both = IATTR_IUNLINK | IATTR_IMMUTABLE;
    assert.throws(() => setVserverIattrAt(dirFd, Buffer.from('file'), both, both), { code: 'ENOSYS', syscall: 'vc_set_iattr' });
  });

  // strace decodes x86_64 system call 236 as "vserver"; its arguments show the command numbers.
  test("the calls reach system call 236 with upstream's command numbers and ids", () => {
    const modules = pathToFileURL(join(repoRoot, 'dist', 'src', 'sys')).href;
    const script = `
      const v = await import('${modules}/vserver-attrs.js');
      for (const call of [() => v.getVserverVersion(), () => v.getVserverIattrAt(-100, Buffer.from('/x')),
        () => v.setVserverIattrAt(-100, Buffer.from('/x'), 0x60000, 0x60000)]) {
        try { call(); } catch {}
      }
    `;
    const result = spawnSync('strace', ['-f', '-e', 'trace=vserver', process.execPath, '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const calls = result.stderr.split('\n').filter((line) => line.includes('vserver(')).map((line) => line.replace(/^\[pid +\d+\] /, ''));
    assert.equal(calls.length, 3, result.stderr);
    assert.match(calls[0]!, /^vserver\(0, 0x3f, 0[,)].*= -1 ENOSYS/);
    assert.match(calls[1]!, /^vserver\(0x26010001, 0, 0x[0-9a-f]+[,)].*= -1 ENOSYS/);
    assert.match(calls[2]!, /^vserver\(0x26020001, 0, 0x[0-9a-f]+[,)].*= -1 ENOSYS/);
  });
});
