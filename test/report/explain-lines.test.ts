// The pieces of --explain's text: labelled lines, entries as written, decisions, device numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConffileList, parseExcludeList } from '../../src/exclude/parse-exclude-list.js';
import { formatDecision, formatDevice, formatLabelled, formatRuleText } from '../../src/report/explain-lines.js';
import { formatQuotedMessage } from '../../src/report/quoted-message.js';

describe('formatLabelled', () => {
  it('puts the label before the first line and indents the others', () => {
    assert.equal(formatLabelled('problem', 'one\ntwo\n').toString(), 'problem: one\n  two\n');
    assert.equal(formatLabelled(Buffer.from("'/\xff'", 'latin1'), 'x').toString('latin1'), "'/\xff': x\n");
  });
});

describe('formatRuleText', () => {
  it('gives each entry back as it was written, a - where the pattern starts like a prefix', () => {
    const rules = parseExcludeList(Buffer.from('+/usr\n~/etc/shadow\n-/var\n/tmp\n-+odd\n'), 'list');
    assert.deepEqual(rules.map((r) => formatRuleText(r).toString()), ['+/usr', '~/etc/shadow', '/var', '/tmp', '-+odd']);
  });
});

describe('formatDecision', () => {
  it('names the file and line of an exclude-list entry, the list of a conffile, or the default', () => {
    const [rule] = parseExcludeList(Buffer.from('# c\n~/etc/passwd\n'), '/etc/vservers/g/apps/vunify/exclude');
    assert.equal(formatDecision({ verdict: 'skip', rule: rule! }).toString(), "excluded by '/etc/vservers/g/apps/vunify/exclude' line 2: ~/etc/passwd");
    const [conffile] = parseConffileList(Buffer.from('/etc/issue\n'), '/v/var/lib/dpkg/info/base-files.conffiles');
    assert.equal(formatDecision({ verdict: 'exclude', rule: conffile! }).toString(), "excluded: it is a package's configuration file (/v/var/lib/dpkg/info/base-files.conffiles line 1)");
    assert.equal(formatDecision({ verdict: 'include' }).toString(), 'included: no entry of the lists matches it (the default)');
  });
});

describe('formatDevice', () => {
  it('splits a device number as glibc makedev packs it', () => {
    assert.equal(formatDevice(0x801n), '8:1');
    assert.equal(formatDevice(0n), '0:0');
    assert.equal(formatDevice((0x123n << 8n) | 0x45n | (0x678n << 20n)), '291:424005');
  });
});

describe('formatQuotedMessage', () => {
  it('drops our program prefix and the last newlines', () => {
    assert.equal(formatQuotedMessage('vhashify: it failed\nhow to fix\n\n').toString(), 'it failed\nhow to fix');
    assert.equal(formatQuotedMessage(Buffer.from('Can not find\n')).toString(), 'Can not find');
  });
});
