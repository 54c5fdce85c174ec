// --unshared on sandbox guests under `immutable`: the package-upgrade workflow, run as the admin
// runs it (the product spawned, the command with the product's stdio).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { binPath } from '../support/paths.js';
import { runCommand, type CliResult } from '../support/run-cli.js';
import { createAdminSite, hasImmutableFlag, listLinkedFiles, type AdminSite } from './admin-site.js';

const sites: AdminSite[] = [];
after(() => {
  for (const site of sites) site.remove();
});

const FILES = {
  'etc/shared': 'a configuration file the upgrade replaces\n',
  'usr/lib/libshared.so': 'a library both guests have, long enough\n',
};

function newSite(): { site: AdminSite; g1: string; g2: string } {
  const site = createAdminSite('immutable', 'unshared');
  sites.push(site);
  return { site, g1: site.addGuest('g1', FILES), g2: site.addGuest('g2', FILES) };
}

function vhashify(site: AdminSite, args: readonly string[]): Promise<CliResult> {
  return runCommand([process.execPath, binPath, ...args], { env: site.env, cwd: site.box.top });
}

// What a package manager does to replace a file: write the new version beside it, rename it over.
function replaceCommand(root: string): string[] {
  return ['sh', '-c', `cd '${root}' && printf 'the upgraded configuration file\\n' > etc/shared.dpkg-new && mv -f etc/shared.dpkg-new etc/shared`];
}

test('the command renames a new file over a shared one, which the immutable flag forbids, and the guest ends hashified again', async () => {
  const { site, g1 } = newSite();
  for (const guest of ['g1', 'g2']) assert.equal((await vhashify(site, [guest])).exitCode, 0);
  assert.ok(hasImmutableFlag(join(g1, 'etc/shared')));
  const [sh, c, script] = replaceCommand(g1);
  const refused = await runCommand([sh!, c!, script!], { env: site.env });
  assert.notEqual(refused.exitCode, 0, 'without --unshared the rename fails (the stock kernel flag forbids it)');
  assert.match(refused.stderr.toString(), /Operation not permitted/);

  const result = await vhashify(site, ['--unshared', 'g1', '--', ...replaceCommand(g1)]);
  assert.equal(result.stderr.toString(), '');
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout.toString(), "vhashify: guest 'g1': 2 files made private, the command exited with status 0, hashified again (2 files unified)\n");
  assert.equal(readFileSync(join(g1, 'etc/shared'), 'utf8'), 'the upgraded configuration file\n');
  assert.deepEqual(listLinkedFiles(g1, site.store).sort(), ['etc/shared', 'usr/lib/libshared.so']);
  for (const path of ['etc/shared', 'usr/lib/libshared.so']) assert.ok(hasImmutableFlag(join(g1, path)), `${path} is protected again`);
  assert.ok(!existsSync(join(site.box.confDir, 'g1/apps/vunify/hold')), 'the hold is lifted');
});

test('a command that fails still leaves the guest hashified again, and its exit status is the run\'s', async () => {
  const { site, g1 } = newSite();
  for (const guest of ['g1', 'g2']) assert.equal((await vhashify(site, [guest])).exitCode, 0);
  const result = await vhashify(site, ['--unshared', 'g1', '--', 'sh', '-c', 'echo the upgrade broke >&2; exit 7']);
  assert.equal(result.exitCode, 7);
  assert.equal(result.stderr.toString(), 'the upgrade broke\n');
  assert.match(result.stdout.toString(), /the command exited with status 7, hashified again \(2 files unified\)\n$/);
  assert.deepEqual(listLinkedFiles(g1, site.store).sort(), ['etc/shared', 'usr/lib/libshared.so']);
  assert.ok(!existsSync(join(site.box.confDir, 'g1/apps/vunify/hold')));
});

test('while the command runs the guest is held: --all skips it and says so, and hashifies the others', async () => {
  const { site, g1, g2 } = newSite();
  for (const guest of ['g1', 'g2']) assert.equal((await vhashify(site, [guest])).exitCode, 0);
  assert.equal((await vhashify(site, ['--unhashify', 'g2'])).exitCode, 0);
  const log = join(site.box.top, 'inner.log');
  const inner = `'${process.execPath}' '${binPath}' --all -v > '${log}' 2>&1; echo "status $?" >> '${log}'`;
  const result = await vhashify(site, ['--unshared', 'g1', '--', 'sh', '-c', inner]);
  assert.equal(result.exitCode, 0);
  const seen = readFileSync(log, 'utf8');
  assert.match(seen, /^vhashify: guest 'g1' is held \(pid \d+ on .* since .*, for: sh -c .*\); skipped$/m);
  assert.match(seen, /^vhashify: guest 'g2' done: 2 newly unified, 0 already unified, 0 errors; saved /m);
  assert.match(seen, /^status 0$/m);
  assert.equal(listLinkedFiles(g1, site.store).length, 2);
  assert.equal(listLinkedFiles(g2, site.store).length, 2);
});

test('a hold left by a crash is reported and taken over by the next --unshared, and fails --all until then', async () => {
  const { site, g1 } = newSite();
  for (const guest of ['g1', 'g2']) assert.equal((await vhashify(site, [guest])).exitCode, 0);
  const hold = join(site.box.confDir, 'g1/apps/vunify/hold');
  // A process that is gone: a pid from an earlier boot of this host.
  writeFileSync(hold, `pid=${process.pid}\nhost=${hostname()}\nuser=root\nsince=2026-01-01T00:00:00.000Z\nboot=not-this-boot\ncommand=apt-get -y upgrade\n`);
  const all = await vhashify(site, ['--all']);
  assert.equal(all.exitCode, 1);
  assert.match(all.stderr.toString(), /^vhashify: guest 'g1' has a hold left by a run that did not finish \(pid \d+ on .* since 2026-01-01T00:00:00.000Z, for: apt-get -y upgrade\); skipped\. Once nothing changes the guest any more, remove '.*\/g1\/apps\/vunify\/hold' and hashify it\n$/);

  const result = await vhashify(site, ['--unshared', 'g1', '--', 'true']);
  assert.equal(result.exitCode, 0);
  assert.match(result.stderr.toString(), /^vhashify: guest 'g1' had a hold left by a run that did not finish \(.*for: apt-get -y upgrade\); taking it over\n$/);
  assert.ok(!existsSync(hold));
  assert.equal(listLinkedFiles(g1, site.store).length, 2);
});

test('a guest held by a running --unshared is not touched by a second one', async () => {
  const { site, g1 } = newSite();
  for (const guest of ['g1', 'g2']) assert.equal((await vhashify(site, [guest])).exitCode, 0);
  // This test process holds it: alive, same boot, same start time.
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'latin1');
  const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
  const hold = join(site.box.confDir, 'g1/apps/vunify/hold');
  writeFileSync(hold, `pid=${process.pid}\nhost=${hostname()}\nuser=root\nsince=now\nstarted=${started}\nboot=${boot}\ncommand=apt-get -y upgrade\n`);
  const result = await vhashify(site, ['--unshared', 'g1', '--', 'true']);
  assert.equal(result.exitCode, 1);
  assert.match(result.stderr.toString(), /^vhashify: guest 'g1' is already held \(pid \d+ .*for: apt-get -y upgrade\); nothing was changed\n$/);
  assert.equal(listLinkedFiles(g1, site.store).length, 2);
  assert.ok(existsSync(hold));
});

test('--unshared needs a guest, -- and a command', async () => {
  const { site } = newSite();
  for (const args of [['--unshared', 'g1'], ['--unshared', 'g1', 'true'], ['--unshared', 'g1', '--']]) {
    const result = await vhashify(site, args);
    assert.equal(result.exitCode, 1, args.join(' '));
    assert.equal(result.stderr.toString(), "vhashify: '--unshared' takes a guest, '--' and a command, and is run directly (not through 'vserver <name> hashify'): vhashify --unshared <vserver> -- <command> [<argument>...]\n");
  }
});

test('a command that cannot be started counts as status 127, and the guest is still hashified again', async () => {
  const { site, g1 } = newSite();
  for (const guest of ['g1', 'g2']) assert.equal((await vhashify(site, [guest])).exitCode, 0);
  const result = await vhashify(site, ['--unshared', 'g1', '--', '/nonexistent/upgrade-tool', '--yes']);
  assert.equal(result.exitCode, 127);
  assert.equal(result.stderr.toString(), 'vhashify: cannot run /nonexistent/upgrade-tool --yes: No such file or directory\n');
  assert.match(result.stdout.toString(), /the command exited with status 127, hashified again \(2 files unified\)\n$/);
  assert.equal(listLinkedFiles(g1, site.store).length, 2);
});
