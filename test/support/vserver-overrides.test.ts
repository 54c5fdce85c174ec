// Checks the expectations pinned for the deliberate steps of vserver.json: complete, and saying what the product decided.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verbosityLevels } from './tree-vectors.js';
import { findVserverOverride, type VserverOverride } from './vserver-overrides.js';
import { findListingsBefore, readVserverVectors } from './vserver-vectors.js';

const vectors = readVserverVectors();

function overrideOf(id: string, name: string): { override: VserverOverride; before: { state: unknown; config: unknown } } {
  const scenario = vectors.scenarios.find((candidate) => candidate.id === id)!;
  const index = scenario.steps.findIndex((step) => step.name === name);
  return { override: findVserverOverride(vectors, scenario, index)!, before: findListingsBefore(scenario, index) };
}

const stdoutAt = (override: VserverOverride, level: number) => override.output[String(level)]!.stdout;

describe('findVserverOverride', () => {
  test('has an expectation at every level for each deliberate step, and none for the others', () => {
    for (const scenario of vectors.scenarios) {
      scenario.steps.forEach((step, index) => {
        const override = findVserverOverride(vectors, scenario, index);
        assert.equal(override !== undefined, step.deliberate !== undefined, `${scenario.id} ${step.name}`);
        if (override === undefined) return;
        assert.deepEqual(Object.keys(override.output), verbosityLevels.map(String));
        for (const output of Object.values(override.output)) assert.ok(output.stdout === '' || output.stderr === '', 'one stream empty');
      });
    }
  });
});

describe('the pinned product decisions', () => {
  test('a missing apps/vunify: upstream\'s line and the one that names the mkdir, at every level, nothing changed', () => {
    for (const name of ['g1 without apps/vunify (wrapper)', 'g1 without apps/vunify (direct)']) {
      const { override, before } = overrideOf('vs04-resolution-errors', name);
      assert.equal(override.exitCode, 1);
      for (const level of verbosityLevels) {
        assert.deepEqual(override.output[String(level)], {
          stdout: '',
          stderr: 'Failed to initialize unification for vserver\n'
            + "vhashify: '${CONFDIR}/g1/apps/vunify' does not exist: hashify works only on guests that have it; "
            + 'create it with: mkdir -p ${CONFDIR}/g1/apps/vunify\n',
        });
      }
      assert.deepEqual([override.stateAfter, override.configAfter], [before.state, before.config]);
    }
  });

  test('a stopped Debian guest is hashified, with the package-management line from -vv on', () => {
    for (const [id, name] of [
      ['vs05-pkgmgmt-switch', 'g1: pkgmgmt-force beats .defaults pkgmgmt-ignore -> vpkg fails'],
      ['vs06-pkgmgmt-absent', 'g1: stopped Debian guest, vpkg fails'],
    ] as const) {
      const { override } = overrideOf(id, name);
      assert.equal(override.exitCode, 0);
      for (const level of verbosityLevels) {
        const lines = stdoutAt(override, level).split('\n');
        assert.equal(lines[1] === '  Fetching configuration-file list from packagemanagement', level >= 2, `${id} level ${level}`);
        assert.equal(override.output[String(level)]!.stderr, '');
      }
      const inodeOf = (path: string) => override.stateAfter.find((entry) => entry.path === path)!.inode;
      assert.equal(inodeOf('vservers/g1/usr/bin/g1-only'),
        inodeOf('vservers/.hash/63/02/c60db6a62c7fc550e2cbc37a3082716db6cd57d267f6c15ee523d6e983f9-00000000'));
    }
  });

  test('./g1 through the wrapper is g1 below INIT_CWD: printed as given, everything already unified, nothing changed', () => {
    const { override, before } = overrideOf('vs07-name-forms', 'wrapper, ./g1 from cwd CONFDIR');
    assert.equal(override.exitCode, 0);
    assert.match(stdoutAt(override, 1), /^Initializing exclude-list for \$\{ROOT\}\/vservers\/g1 \(\.\/g1\)\n/);
    assert.match(stdoutAt(override, 3), /^ {2}skipping '\/usr\/bin\/g1-only' \(already unified\)$/m);
    assert.doesNotMatch(stdoutAt(override, 6), /^unifying/m);
    assert.deepEqual([override.stateAfter, override.configAfter], [before.state, before.config]);
  });

  test('--destination in vserver mode is the hash dir: every entry goes to its storage root', () => {
    const { override } = overrideOf('vs08-wrapper-options', 'g4 hashify --destination (Q04)');
    assert.equal(override.exitCode, 0);
    const targets = [...stdoutAt(override, 4).matchAll(/\(to '(.*)\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{60}-00000000'\)$/gm)].map((match) => match[1]);
    assert.deepEqual(targets, Array(7).fill('${CONFDIR}/althash/store'));
    const entries = override.stateAfter.filter((entry) => entry.path.startsWith('vservers/.hash-alt/') && entry.type === 'file');
    assert.equal(entries.length, 7);
    assert.ok(entries.every((entry) => entry.nlink === 2));
  });
});
