// Checks the line diff used in golden-tree failure messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLineDiff, formatOutputLines } from './tree-diff.js';

describe('formatLineDiff', () => {
  test('marks removed and added lines and keeps three lines of context', () => {
    const expected = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const actual = ['a', 'b', 'c', 'd', 'e', 'F', 'g', 'h', 'i', 'j'];
    assert.equal(formatLineDiff(expected, actual),
      ['--- expected', '+++ actual', '@@', ' c', ' d', ' e', '-f', '+F', ' g', ' h', ' i'].join('\n'));
  });

  test('separates distant changes into hunks', () => {
    const expected = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const actual = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    assert.equal(formatLineDiff(expected, actual, 1),
      ['--- expected', '+++ actual', '+0', ' 1', '@@', ' 9', '-10'].join('\n'));
  });

  test('shows only the headers when nothing differs', () => {
    assert.equal(formatLineDiff(['x'], ['x']), '--- expected\n+++ actual');
  });
});

describe('formatOutputLines', () => {
  test('drops the final newline, flags its absence, and escapes control characters', () => {
    assert.deepEqual(formatOutputLines('a\tb\r\nc\n'), ['a\\x09b\\x0d', 'c']);
    assert.deepEqual(formatOutputLines('a'), ['a', '\\ No newline at end']);
    assert.deepEqual(formatOutputLines(''), []);
  });
});
