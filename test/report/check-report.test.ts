// The text of --check: one line per item, the fix below it, and a summary that counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckReport, formatCheckItem, formatCheckSummary, formatVisibleBytes } from '../../src/report/check-report.js';

describe('formatCheckItem', () => {
  it('prints where, the severity and what, then the fix indented', () => {
    const report = new CheckReport();
    report.finding('/etc/x:3', 'the line is wrong', 'echo >> /etc/x');
    report.note('guest \'g1\'', Buffer.from('first line\nsecond line\n'));
    assert.equal(formatCheckItem(report.items[0]!).toString(), '/etc/x:3: finding: the line is wrong\n  fix: echo >> /etc/x\n');
    assert.equal(formatCheckItem(report.items[1]!).toString(), "guest 'g1': note: first line\n  second line\n");
  });

  it('keeps the bytes of a path that is not UTF-8', () => {
    const report = new CheckReport();
    report.finding(Buffer.from([0x2f, 0xff]), Buffer.from([0x41, 0xfe]));
    assert.deepEqual(formatCheckItem(report.items[0]!), Buffer.concat([Buffer.from([0x2f, 0xff]), Buffer.from(': finding: '), Buffer.from([0x41, 0xfe, 0x0a])]));
  });
});

describe('formatCheckSummary', () => {
  it('counts findings and notes in words, and what was checked', () => {
    const report = new CheckReport();
    assert.equal(formatCheckSummary(report), 'vhashify --check: no findings (checked 0 hash directories, 0 exclude lists)\n');
    report.checked.guests = 2;
    report.checked.stores = 1;
    report.checked.lists = 1;
    report.finding('a', 'b');
    report.note('c', 'd');
    report.note('e', 'f');
    assert.equal(formatCheckSummary(report), 'vhashify --check: 1 finding, 2 notes (checked 2 guests, 1 hash directory, 1 exclude list)\n');
    assert.equal(report.count('finding'), 1);
  });
});

describe('formatVisibleBytes', () => {
  it('shows carriage returns, tabs, NUL bytes and other control bytes', () => {
    assert.equal(formatVisibleBytes(Buffer.from('/a\r\t\0\x1b\x7fü')).toString(), '/a\\r\\t\\0\\x1b\\x7fü');
  });
});
