import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteShellWord } from '../../src/report/shell-quote.js';

test('a path of safe bytes is one shell word as it is', () => {
  assert.equal(quoteShellWord(Buffer.from('/etc/vservers/g1/apps/vunify')).toString(), '/etc/vservers/g1/apps/vunify');
});

test('anything else goes in single quotes, a quote written as \'\\\'\'', () => {
  assert.equal(quoteShellWord(Buffer.from("it's")).toString(), "'it'\\''s'");
  assert.equal(quoteShellWord(Buffer.from('a b')).toString(), "'a b'");
  assert.equal(quoteShellWord(Buffer.from('')).toString(), "''");
  assert.equal(quoteShellWord(Buffer.from('$HOME')).toString(), "'$HOME'");
});

test('bytes that are not UTF-8 survive, quoted', () => {
  assert.deepEqual(quoteShellWord(Buffer.from([0x61, 0xff])), Buffer.from([0x27, 0x61, 0xff, 0x27]));
});
