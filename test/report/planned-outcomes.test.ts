import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlannedOutcomes } from '../../src/report/planned-outcomes.js';
import { fakeFile, unifyingEvent } from './report-fixture.js';

describe('PlannedOutcomes', () => {
  it('plans a copy for a new entry, and links a second identical file to it, as the real run would', () => {
    const plan = new PlannedOutcomes('copy');
    const first = plan.plan(unifyingEvent('a', fakeFile(1n, 1n, 8n), 'root/aa/bb/cc-00000000'));
    assert.equal(first.newEntry, true);
    assert.ok(first.after.ino < 0n, 'a planned copy is no inode yet');
    assert.equal(first.after.blocks, 8n);
    const second = plan.plan(unifyingEvent('b', fakeFile(2n, 1n, 8n), 'root/aa/bb/cc-00000000'));
    assert.equal(second.newEntry, false);
    assert.equal(second.after.ino, first.after.ino);
    assert.equal(second.after.nlink, 3n, 'store, a, b');
  });

  it('gives different planned copies different numbers', () => {
    const plan = new PlannedOutcomes('copy');
    const a = plan.plan(unifyingEvent('a', fakeFile(1n), 'E1'));
    const b = plan.plan(unifyingEvent('b', fakeFile(2n), 'E2'));
    assert.notEqual(a.after.ino, b.after.ino);
  });

  it('plans sledgehammer entries as the file\'s own inode', () => {
    const plan = new PlannedOutcomes('in-place');
    const first = plan.plan(unifyingEvent('a', fakeFile(1n, 1n, 8n), 'E'));
    assert.equal(first.after.ino, 1n);
    assert.equal(first.after.nlink, 2n);
    assert.equal(plan.plan(unifyingEvent('b', fakeFile(2n), 'E')).after.ino, 1n);
  });

  it('plans a link to an existing entry with one more link than it has', () => {
    const plan = new PlannedOutcomes('copy');
    const linked = plan.plan(unifyingEvent('a', fakeFile(1n), 'E', fakeFile(9n, 1n, 16n)));
    assert.deepEqual(linked.after, { dev: 7n, ino: 9n, nlink: 2n, blocks: 16n, size: 4000n });
    assert.equal(linked.newEntry, false);
  });
});
