// Checks the output edits, and the two rules the deliberate steps lean on, against pairs of recorded vserver.json runs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verbosityLevels } from './tree-vectors.js';
import {
  deriveStdout, dropUnifyingLines, insertAfterInitializing, renameGuest, replaceAll, repeatOutput,
} from './vserver-derive-output.js';
import { findGuestDifferences } from './vserver-guest-trees.js';
import { readVserverVectors } from './vserver-vectors.js';

const scenarios = readVserverVectors().scenarios;
const byId = (prefix: string) => scenarios.find((scenario) => scenario.id.startsWith(prefix))!;

describe('text edits', () => {
  test('insertAfterInitializing puts a line right after the Initializing line', () => {
    assert.equal(insertAfterInitializing('Initializing exclude-list for /g (g)\n  Reading exclude file\n', '  X'),
      'Initializing exclude-list for /g (g)\n  X\n  Reading exclude file\n');
    assert.throws(() => insertAfterInitializing('', '  X'), /no Initializing line/);
  });

  test('dropUnifyingLines keeps everything but the unifying lines', () => {
    assert.equal(dropUnifyingLines("A\nunifying   '/a'\n  skipping '/b'\n"), "A\n  skipping '/b'\n");
  });

  test('renameGuest renames root, name and only-file, and refuses to leave the old name behind', () => {
    const text = "Initializing exclude-list for ${ROOT}/vservers/g3 (g3)\nunifying   '/usr/bin/g3-only'\n";
    assert.equal(renameGuest(text, 'g3', 'g1', './g1'), "Initializing exclude-list for ${ROOT}/vservers/g1 (./g1)\nunifying   '/usr/bin/g1-only'\n");
    assert.throws(() => renameGuest(`${text}${'${CONFDIR}'}/g3/apps\n`, 'g3', 'g1'), /still named/);
  });

  test('replaceAll replaces every occurrence of each pair in order', () => {
    assert.equal(replaceAll('a-b-a', [['a', 'b'], ['b', 'c']]), 'c-c-c');
  });

  test('deriveStdout edits stdout at every level and refuses a template with stderr', () => {
    const derived = deriveStdout(repeatOutput({ stdout: 'x\n', stderr: '' }), (stdout, level) => `${level}${stdout}`);
    assert.deepEqual(Object.keys(derived), verbosityLevels.map(String));
    assert.deepEqual(derived['3'], { stdout: '3x\n', stderr: '' });
    assert.throws(() => deriveStdout(repeatOutput({ stdout: '', stderr: 'e\n' }), (stdout) => stdout), /has stderr/);
  });
});

describe('rules the deliberate steps rely on, seen in recorded runs', () => {
  test('a real run prints what a dry run does, less the unifying lines below -vv (vs01 g1 against vs08 g1 -n)', () => {
    assert.deepEqual(findGuestDifferences(byId('vs01'), 'g1', byId('vs08'), 'g1'), []);
    for (const level of verbosityLevels) {
      const dry = byId('vs08').steps[0]!.output[String(level)]!.stdout;
      const real = byId('vs01').steps[0]!.output[String(level)]!.stdout;
      assert.equal(level >= 2 ? dry : dropUnifyingLines(dry), real, `level ${level}`);
    }
  });

  test('an already-unified run of one guest, told for another with the same layout, is that guest\'s run (vs07 g2 as vs01 g1)', () => {
    assert.deepEqual(findGuestDifferences(byId('vs01'), 'g1', byId('vs07'), 'g1'), []);
    for (const level of verbosityLevels) {
      const g2 = byId('vs07').steps[3]!.output[String(level)]!.stdout;
      assert.equal(renameGuest(g2, 'g2', 'g1'), byId('vs01').steps[2]!.output[String(level)]!.stdout, `level ${level}`);
    }
  });
});
