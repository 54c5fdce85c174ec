// The help text: pinned literally, and compared with upstream's recorded help.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bugReportAddress, formatHelp, formatHelpLabel, formatHelpRow } from '../../src/cli/help-text.js';
import type { OptionRow } from '../../src/cli/option-table.js';
import { optionTable } from '../../src/cli/option-table.js';
import { vectorsDir } from '../support/paths.js';

// Upstream's --help output as recorded in trees.json (scenario t09, argv0 'vhashify').
function readUpstreamHelp(): string {
  const trees = JSON.parse(readFileSync(join(vectorsDir, 'trees.json'), 'utf8')) as {
    scenarios: { id: string; steps: { name: string; output: Record<string, { stdout: string }> }[] }[];
  };
  const step = trees.scenarios.find((scenario) => scenario.id.startsWith('t09'))?.steps.find((s) => s.name === '--help');
  assert.ok(step, 'trees.json has no t09 --help step');
  return step.output['0'].stdout;
}

function makeRow(overrides: Partial<OptionRow>): OptionRow {
  return {
    name: 'example', argument: 'none', effect: { kind: 'flag', key: 'refresh' }, help: 'does things',
    inUpstreamHelp: false, upstream: false, ...overrides,
  };
}

describe('formatHelp', () => {
  it('prints exactly this text (change it here on purpose when the table changes)', () => {
    const expected = [
    'Usage:',
    '  vhashify [-nv] [--refresh] <vserver>',
    '    or',
    '  vhashify --manually --destination <hashdir> [-nv] [--] <path> <excludelist>',
    '',
    '  --manually      ...  hashify generic paths; excludelists must be generated',
    '                       manually',
    '  --refresh       ...  hashify already hashified files also',
    '  -n              ...  do not modify anything; just show what there will be',
    "                       done (in combination with '-v')",
    '  -v              ...  verbose mode',
    '  --help          ...  print this help and exit',
    '  --version       ...  print version information and exit',
    '  --destination <hashdir>',
    '                  ...  use <hashdir> as the hash directory (required with',
    "                       '--manually'; in vserver mode it replaces the",
    '                       configured one)',
    '  --insecure      ...  accepted for compatibility; no effect except cancelling',
    "                       an earlier '--sledgehammer'",
    '  --sledgehammer  ...  link the guest files themselves into the hash directory',
    '                       instead of copies of them; safe only while nothing',
    '                       writes to them (guest stopped)',
    '  --ignore-mtime  ...  ignore modification times: files that differ only in',
    '                       mtime share one entry and take its mtime',
    '  --protect <policy>',
    "                  ...  how shared files are protected: 'vserver'",
    "                       (Linux-VServer kernel flags), 'immutable' (chattr +i),",
    "                       'none' (plain hard links) or 'auto' (default: 'vserver'",
    '                       where the kernel has it, else refuse to run)',
    '  --all           ...  hashify every configured guest that has an apps/vunify',
    '                       directory, one after the other, in one process; prints',
    '                       only failures unless -v or --totals',
    '  --no-wait       ...  when another run holds the hash directory, exit with',
    '                       status 75 at once instead of waiting for it',
    '  --overview      ...  report how far the guest (or every guest with --all) is',
    '                       hashified and what its store holds; reads no file',
    '                       content and changes nothing',
    '  --gc            ...  remove store entries no guest links any more, leftovers',
    "                       of crashed runs and empty directories from the guest's",
    '                       store (every store with --all); with -n only list them',
    "  --audit         ...  re-hash the store's entries; report those whose content",
    '                       or attributes no longer match their names, with the',
    '                       guest paths that link them (exit status 1)',
    '  --audit-sample <n>',
    "                  ...  with '--audit': re-hash <n> entries chosen at random",
    '                       instead of all',
    "  --fix           ...  with '--audit': move damaged entries out of the store,",
    '                       giving every guest that links one its own copy of what',
    '                       it now holds',
    '  --totals        ...  after the run, print what it did: files scanned,',
    '                       eligible, unified, skipped by reason, errors, bytes',
    '                       saved, new store entries, time (a dry run prints the',
    '                       plan)',
    '  --json          ...  print one JSON document on standard output instead of',
    '                       any text lines there: a run\'s figures, or the',
    "                       '--overview', '--gc' or '--audit' report; errors still",
    '                       go to standard error',
    '  --explain <path>',
    '                  ...  say which exclude rule or package config file decides',
    '                       <path> (a path inside the guest, such as /etc/passwd)',
    '                       and what a run would do with it; changes nothing',
    '  --check         ...  check the configuration (exclude lists, hash directory,',
    '                       storage roots, protection) of the guest, of every guest',
    "                       with --all, or of the manual-mode arguments; changes",
    '                       nothing; exit status 1 when anything is wrong',
    "  --unhashify     ...  give the guest's files that are store entries private",
    '                       copies again, with owner, mode, times and extended',
    '                       attributes; --path and --package narrow it',
    '  --unshared      ...  with <vserver> -- <command>: hold the guest (--all',
    '                       skips it), unhashify it, run the command (a package',
    '                       upgrade, say), hashify the guest again',
    '  --clone         ...  with <source> <new>: a new guest (or directory tree)',
    '                       from a hashified one; store entries are linked,',
    '                       everything else copied',
    '  --path <path>   ...  with --unhashify or --unshared: only this path of the',
    '                       guest (a file, or a directory and all below it); may be',
    '                       repeated',
    '  --package <name>',
    '                  ...  with --unhashify or --unshared: only the files of this',
    "                       package, from the guest's dpkg or rpm database; may be",
    '                       repeated',
    'Please report bugs to the maintainers of the vhashify TypeScript package',

    '',
  ].join('\n');
    assert.equal(formatHelp('vhashify'), expected);
  });

  it("keeps upstream's lines except the manual synopsis (QUIRK Q01) and the bug address, and only adds option lines", () => {
    const upstream = readUpstreamHelp().split('\n');
    const ours = formatHelp('vhashify').split('\n');
    assert.deepEqual(ours.slice(0, 3), upstream.slice(0, 3));
    assert.equal(upstream[3], '  vhashify --manually [-nv] [--] <hashdir> <path> <excludelist>');
    assert.equal(ours[3], '  vhashify --manually --destination <hashdir> [-nv] [--] <path> <excludelist>');
    const upstreamBlockEnd = upstream.length - 2;
    assert.deepEqual(ours.slice(4, upstreamBlockEnd), upstream.slice(4, upstreamBlockEnd));
    assert.equal(upstream[upstreamBlockEnd], 'Please report bugs to vserver@list.linux-vserver.org');
    assert.equal(ours[ours.length - 2], `Please report bugs to ${bugReportAddress}`);
    for (const added of ours.slice(upstreamBlockEnd, -2)) assert.match(added, /^ {2}\S| {18}\.\.\. {2}\S| {23}\S/);
    assert.equal(ours[ours.length - 1], '');
  });

  it('names the program as argv0 was given in both synopsis lines', () => {
    const lines = formatHelp('/usr/lib/util-vserver/vhashify').split('\n');
    assert.equal(lines[1], '  /usr/lib/util-vserver/vhashify [-nv] [--refresh] <vserver>');
    assert.match(lines[3] ?? '', /^ {2}\/usr\/lib\/util-vserver\/vhashify --manually /);
  });

  it('has a line for every option of the table', () => {
    const lines = formatHelp('vhashify').split('\n');
    for (const row of optionTable) {
      const label = formatHelpLabel(row);
      assert.ok(lines.some((line) => line.startsWith(`  ${label} `) || line === `  ${label}`), label);
    }
  });

  it('keeps every line within 78 columns', () => {
    for (const line of formatHelp('vhashify').split('\n')) assert.ok(line.length <= 78, line);
  });

  it('names every protection policy', () => {
    const text = formatHelp('vhashify');
    for (const policy of ['auto', 'vserver', 'immutable', 'none']) assert.ok(text.includes(`'${policy}'`), policy);
  });
});

describe('formatHelpLabel', () => {
  it("uses upstream's own label where the table gives one", () => {
    assert.equal(formatHelpLabel(makeRow({ name: 'dry-run', short: 'n', helpLabel: '-n' })), '-n');
  });

  it('shows the short letter, the long name and the value placeholder', () => {
    assert.equal(formatHelpLabel(makeRow({ name: 'json', short: 'j' })), '-j, --json');
    assert.equal(formatHelpLabel(makeRow({ name: 'output', argument: 'required', valueName: 'file' })), '--output <file>');
  });
});

describe('formatHelpRow', () => {
  it('puts a label that fits in the 16-column field on the line of its text', () => {
    assert.deepEqual(formatHelpRow(makeRow({ name: 'all', help: 'every guest' })), ['  --all           ...  every guest']);
  });

  it('gives a label too long for the field a line of its own', () => {
    assert.deepEqual(formatHelpRow(makeRow({ name: 'a-long-option-name', help: 'x' })), [
      '  --a-long-option-name',
      '                  ...  x',
    ]);
  });

  it('wraps long text at word boundaries and continues it at column 23', () => {
    const help = 'one two three four five six seven eight nine ten eleven twelve thirteen';
    assert.deepEqual(formatHelpRow(makeRow({ name: 'all', help })), [
      '  --all           ...  one two three four five six seven eight nine ten eleven',
      '                       twelve thirteen',
    ]);
  });
});
