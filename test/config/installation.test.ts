import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { computeDefaultAppDir, DEFAULT_VARS_FILE, findInstallation, type Installation } from '../../src/config/installation.js';
import { createSandboxInstallation } from './sandbox-installation.js';

function expectInstallation(result: ReturnType<typeof findInstallation>): Installation {
  if ('error' in result) throw new Error(result.error);
  return result;
}

const noFile = (): Buffer => {
  throw Object.assign(new Error('missing'), { code: 'ENOENT' });
};

describe('findInstallation', () => {
  const box = createSandboxInstallation();
  after(() => box.remove());

  it('takes every directory from the file UTIL_VSERVER_VARS names, expanding references', () => {
    const inst = box.inst;
    assert.equal(inst.varsFile, box.varsFile);
    assert.equal(inst.varsFound, true);
    assert.equal(inst.confDir.toString(), box.confDir);
    assert.equal(inst.vserverDir.toString(), box.vserverDir);
    assert.equal(inst.defaultsDir.toString(), `${box.top}/usr/share/util-vserver/defaults`);
    assert.equal(inst.distribDir.toString(), `${box.top}/usr/share/util-vserver/distributions`);
    assert.equal(inst.pkgLibExecDir.toString(), `${box.top}/usr/lib/util-vserver`);
    assert.equal(inst.vhashify.toString(), `${box.top}/usr/lib/util-vserver/vhashify`);
    assert.equal(inst.vpkg.toString(), `${box.top}/usr/lib/util-vserver/vpkg`);
    assert.equal(inst.setattr.toString(), `${box.top}/usr/sbin/setattr`);
    assert.equal(inst.pkgStateDir.toString(), `${box.top}/var/run/vservers`);
    assert.deepEqual(inst.sources.confDir, { from: 'vars-file', variable: '__CONFDIR' });
    assert.deepEqual(inst.problems, []);
    assert.equal(computeDefaultAppDir(inst).toString(), `${box.confDir}/.defaults/apps/vunify`);
  });

  it('reads the default path when UTIL_VSERVER_VARS is unset or empty', () => {
    const asked: string[] = [];
    const readFile = (path: string): Buffer => {
      asked.push(path);
      return Buffer.from("__CONFDIR='/srv/conf'\n");
    };
    for (const env of [{}, { UTIL_VSERVER_VARS: '' }]) {
      const inst = expectInstallation(findInstallation(env, { readFile, isDirectory: () => false }));
      assert.equal(inst.confDir.toString(), '/srv/conf');
    }
    assert.deepEqual(asked, [DEFAULT_VARS_FILE, DEFAULT_VARS_FILE]);
  });

  it('falls back to upstream compiled-in directories when the default file is missing', () => {
    const inst = expectInstallation(findInstallation({}, { readFile: noFile, isDirectory: () => false }));
    assert.equal(inst.varsFound, false);
    assert.equal(inst.confDir.toString(), '/etc/vservers');
    assert.equal(inst.vserverDir.toString(), '/vservers');
    assert.equal(inst.pkgLibExecDir.toString(), '/usr/lib/util-vserver');
    assert.equal(inst.vpkg.toString(), '/usr/lib/util-vserver/vpkg');
    assert.equal(inst.vhashify.toString(), '/usr/lib/util-vserver/vhashify');
    assert.equal(inst.setattr.toString(), '/usr/sbin/setattr');
    assert.equal(inst.defaultsDir.toString(), '/usr/share/util-vserver/defaults');
    assert.deepEqual(inst.sources.confDir, { from: 'compiled-in', detail: '/etc/vservers' });
    assert.deepEqual(inst.sources.vpkg, { from: 'derived', detail: '/usr/lib/util-vserver/vpkg' });
  });

  it('looks for the packaged defaults under /usr/lib before /usr/share when there is no file', () => {
    const probed: string[] = [];
    const both = expectInstallation(findInstallation({}, { readFile: noFile, isDirectory: (p) => (probed.push(p), true) }));
    assert.equal(both.defaultsDir.toString(), '/usr/lib/util-vserver/defaults');
    assert.deepEqual(probed, ['/usr/lib/util-vserver/defaults']);
    const shareOnly = expectInstallation(findInstallation({}, { readFile: noFile, isDirectory: (p) => p.startsWith('/usr/share/') }));
    assert.equal(shareOnly.defaultsDir.toString(), '/usr/share/util-vserver/defaults');
    assert.match(JSON.stringify(shareOnly.sources.defaultsDir), /found there/);
  });

  it('refuses a file named by UTIL_VSERVER_VARS that does not exist, with the scripts\' words', () => {
    const missing = `${box.top}/nowhere/util-vserver-vars`;
    assert.deepEqual(findInstallation({ UTIL_VSERVER_VARS: missing }), {
      error: `Can not find util-vserver installation (the file '${missing}' would be expected); aborting...\n`,
    });
  });

  it('uses older files that have __PKGLIBDIR instead of __PKGLIBEXECDIR and __PKGDATADIR', () => {
    const file = box.write('old/util-vserver-vars', "__CONFDIR='/c'\n__PKGLIBDIR='/usr/lib/util-vserver'\n__PKGLIBDEFAULTDIR=\"$__PKGLIBDIR/defaults\"\n");
    const inst = expectInstallation(findInstallation({ UTIL_VSERVER_VARS: file }));
    assert.equal(inst.pkgLibExecDir.toString(), '/usr/lib/util-vserver');
    assert.equal(inst.defaultsDir.toString(), '/usr/lib/util-vserver/defaults');
    assert.equal(inst.vpkg.toString(), '/usr/lib/util-vserver/vpkg');
    assert.equal(inst.vserverDir.toString(), '/vservers');
    assert.deepEqual(inst.sources.pkgLibExecDir, { from: 'vars-file', variable: '__PKGLIBDIR' });
  });

  it('keeps what the file could not evaluate as problems, for --check', () => {
    const file = box.write('odd/util-vserver-vars', "__CONFDIR=\"$UNSET/etc\"\n__SBINDIR=$(echo /sbin)\n");
    const inst = expectInstallation(findInstallation({ UTIL_VSERVER_VARS: file }));
    assert.equal(inst.confDir.toString(), '/etc');
    assert.equal(inst.sbinDir.toString(), '/usr/sbin');
    assert.deepEqual(inst.problems.map((p) => p.line), [1, 2]);
  });
});
