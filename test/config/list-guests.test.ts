import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listGuests } from '../../src/config/list-guests.js';
import { createSandboxInstallation } from './sandbox-installation.js';

describe('listGuests', () => {
  const box = createSandboxInstallation();
  after(() => box.remove());

  it('lists configuration directories by name bytes with opt-in, disabled and resolution', () => {
    box.addGuest('web');
    box.addGuest('Zed');
    box.addGuest('db', { appdir: false });
    box.addGuest('off');
    box.write('etc/vservers/off/disabled');
    box.mkdir('etc/vservers/.distributions/:');
    box.mkdir('etc/vservers/.hidden');
    box.mkdir('etc/vservers/web.rpmsave');
    box.mkdir('etc/vservers/x.~1~');
    box.write('etc/vservers/old.conf');
    box.mkdir('etc/vservers/novdir');
    box.mkdir('elsewhere/linked');
    symlinkSync(join(box.top, 'elsewhere/linked'), join(box.confDir, 'linked'));
    symlinkSync(join(box.top, 'nowhere'), join(box.confDir, 'dangling'));
    const listed = listGuests(box.inst, { cwd: '/', env: {} });
    assert.deepEqual(
      listed.map((g) => [g.name.toString(), g.optedIn, g.disabled, g.resolution.ok ? 'ok' : g.resolution.failure.kind]),
      [
        ['Zed', true, false, 'ok'],
        ['db', false, false, 'no-appdir'],
        ['linked', false, false, 'unknown'],
        ['novdir', false, false, 'unknown'],
        ['off', true, true, 'ok'],
        ['web', true, false, 'ok'],
      ],
    );
    const web = listed.find((g) => g.name.toString() === 'web');
    assert.equal(web?.resolution.ok && web.resolution.guest.vdir.toString(), join(box.vserverDir, 'web'));
  });

  it('throws when CONFDIR cannot be read', () => {
    assert.throws(() => listGuests({ ...box.inst, confDir: Buffer.from(join(box.top, 'none')) }, { cwd: '/', env: {} }), /ENOENT/);
  });
});
