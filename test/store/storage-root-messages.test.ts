import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  formatDuplicateEntry, formatDuplicateHint, formatNoRootHint, formatNoRootMessage,
} from '../../src/store/storage-root-messages.js';
import { vectorsDir } from '../support/paths.js';

interface Step { name: string; output: Record<string, { stderr: string }> }
interface Scenario { id: string; steps: Step[] }

function readExpectedStderr(scenarioId: string, stepName: string): string {
  const { scenarios } = JSON.parse(readFileSync(join(vectorsDir, 'trees.json'), 'utf8')) as { scenarios: Scenario[] };
  const step = scenarios.find((s) => s.id === scenarioId)!.steps.find((s) => s.name === stepName)!;
  return step.output['0']!.stderr;
}

test('duplicate entries are reported with upstream\'s words (trees.json t07)', () => {
  const lines = [formatDuplicateEntry(Buffer.from('b')), formatDuplicateEntry(Buffer.from('c'))];
  assert.equal(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])).toString('utf8'), readExpectedStderr('t07-devices', 'dry run'));
});

test('a hash dir without roots is reported with upstream\'s words (trees.json t09)', () => {
  assert.equal(`${formatNoRootMessage('${ROOT}/hash2').toString('utf8')}\n`,
    readExpectedStderr('t09-config-errors', 'hash dir without sub-directory'));
});

test('entry names and hash dirs are quoted as raw bytes', () => {
  assert.deepEqual(formatDuplicateEntry(Buffer.from([0xff])), Buffer.from([...Buffer.from("Duplicate hash-dir entry '"), 0xff, ...Buffer.from("' found")]));
  assert.deepEqual(formatNoRootMessage(Buffer.from([0x2f, 0xfe])),
    Buffer.from([...Buffer.from("Could not find a place for the hashified files at '"), 0x2f, 0xfe, ...Buffer.from("'.")]));
});

test('digest-style duplicates get the hint that the hash dir is a storage root', () => {
  const hint = formatDuplicateHint('/etc/vservers/.defaults/apps/vunify/hash', [Buffer.from('01'), Buffer.from('00')]).toString('utf8');
  assert.match(hint, /^hint: '\/etc\/vservers\/\.defaults\/apps\/vunify\/hash' holds digest directories such as '01'/);
  assert.match(hint, /storage root/);
  assert.match(hint, /one entry per file system/);
  assert.doesNotMatch(hint, /\n/);
});

test('other duplicates get the hint that only the first entry per file system is used', () => {
  const hint = formatDuplicateHint('/h', [Buffer.from('b')]).toString('utf8');
  assert.match(hint, /^hint: only the first entry per file system in '\/h' is used/);
  assert.doesNotMatch(hint, /storage root|\n/);
  assert.equal(formatDuplicateHint('/h').toString('utf8'), hint);
});

test('the no-root hint says how to add an entry, on one line', () => {
  const hint = formatNoRootHint('/h/').toString('utf8');
  assert.match(hint, /^hint: give '\/h\/' one entry per file system/);
  assert.match(hint, /ln -s \/vservers\/\.hash '\/h\/root'/);
  assert.doesNotMatch(hint, /\n/);
});
