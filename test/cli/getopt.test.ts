// The getopt_long emulation, checked case by case against glibc itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetoptOption } from '../../src/cli/getopt.js';
import { parseGetoptSteps } from '../../src/cli/getopt.js';
import { optionTable } from '../../src/cli/option-table.js';

interface WalkSummary {
  readonly argv: readonly string[];
  /** Accepted options in order: `name`, or `name=value` for options with an argument. */
  readonly options: readonly string[];
  /** Present when the walk reached its end (not after an error, --help or --version). */
  readonly positionals?: readonly string[];
  /** glibc's diagnostic without the `vhashify: ` prefix and the newline. */
  readonly error?: string;
}

// Walks like vhashify's loop: stops at the first error, --help or --version.
function summarizeWalk(argv: readonly string[], table: readonly GetoptOption[] = optionTable): WalkSummary {
  const options: string[] = [];
  for (const step of parseGetoptSteps(argv, 'vhashify', table)) {
    if (step.kind === 'error') {
      assert.match(step.diagnostic, /^vhashify: .*\n$/s);
      return { argv, options, error: step.diagnostic.slice('vhashify: '.length, -1) };
    }
    if (step.kind === 'end') return { argv, options, positionals: step.positionals };
    const { name, argument } = step.option;
    options.push(argument === 'required' ? `${name}=${step.value}` : name);
    if (name === 'help' || name === 'version') return { argv, options };
  }
  assert.fail('the walk ended without an end or an error step');
}

// Recorded from glibc 2.36's getopt_long (optstring "+nv") run on the same option table, ours
// included, by a small C loop that stops like vhashify does. A random differential run of 10,000
// further command lines found no other difference than the one noted for non-ASCII short options.
const glibcCases: readonly WalkSummary[] = [
  { argv: ['--v'], options: [], error: "option '--v' is ambiguous; possibilities: '--version' '--verbose'" },
  { argv: ['--ve'], options: [], error: "option '--ve' is ambiguous; possibilities: '--version' '--verbose'" },
  { argv: ['--ver'], options: [], error: "option '--ver' is ambiguous; possibilities: '--version' '--verbose'" },
  { argv: ['--d'], options: [], error: "option '--d' is ambiguous; possibilities: '--destination' '--dry-run'" },
  { argv: ['--i'], options: [], error: "option '--i' is ambiguous; possibilities: '--insecure' '--ignore-mtime'" },
  { argv: ['--verb'], options: ['verbose'], positionals: [] },
  { argv: ['--vers'], options: ['version'] },
  { argv: ['--de', 'H'], options: ['destination=H'], positionals: [] },
  { argv: ['--dr'], options: ['dry-run'], positionals: [] },
  { argv: ['--in'], options: ['insecure'], positionals: [] },
  { argv: ['--ig'], options: ['ignore-mtime'], positionals: [] },
  { argv: ['--h'], options: ['help'] },
  { argv: ['--m'], options: ['manually'], positionals: [] },
  { argv: ['--r'], options: ['refresh'], positionals: [] },
  { argv: ['--s'], options: ['sledgehammer'], positionals: [] },
  // Our --protect, --path and --package share their first letter (none of upstream's begins with p).
  { argv: ['--p', 'none'], options: [], error: "option '--p' is ambiguous; possibilities: '--protect' '--path' '--package'" },
  { argv: ['--pa', 'x'], options: [], error: "option '--pa' is ambiguous; possibilities: '--path' '--package'" },
  { argv: ['--pr', 'none'], options: ['protect=none'], positionals: [] },
  { argv: ['--pat', '/etc', '--pac=libc6', 'g'], options: ['path=/etc', 'package=libc6'], positionals: ['g'] },
  { argv: ['--un'], options: [], error: "option '--un' is ambiguous; possibilities: '--unhashify' '--unshared'" },
  { argv: ['--unshared', 'g', '--', 'apt-get', '-y'], options: ['unshared'], positionals: ['g', '--', 'apt-get', '-y'] },
  { argv: ['--verbose', '--version'], options: ['verbose', 'version'] },
  { argv: ['--ver=1'], options: [], error: "option '--ver=1' is ambiguous; possibilities: '--version' '--verbose'" },
  { argv: ['--d=H'], options: [], error: "option '--d=H' is ambiguous; possibilities: '--destination' '--dry-run'" },
  { argv: ['--destination=H', 'g'], options: ['destination=H'], positionals: ['g'] },
  { argv: ['--destination', 'H', 'g'], options: ['destination=H'], positionals: ['g'] },
  { argv: ['--destination=', 'g'], options: ['destination='], positionals: ['g'] },
  { argv: ['--destination=a=b'], options: ['destination=a=b'], positionals: [] },
  { argv: ['--dest', '-n', 'g'], options: ['destination=-n'], positionals: ['g'] },
  { argv: ['--destination', '--help', 'g'], options: ['destination=--help'], positionals: ['g'] },
  { argv: ['--destination', '--', 'g'], options: ['destination=--'], positionals: ['g'] },
  { argv: ['--destination'], options: [], error: "option '--destination' requires an argument" },
  { argv: ['--de'], options: [], error: "option '--destination' requires an argument" },
  { argv: ['-n', '--destination'], options: ['dry-run'], error: "option '--destination' requires an argument" },
  { argv: ['--help=x'], options: [], error: "option '--help' doesn't allow an argument" },
  { argv: ['--he=x'], options: [], error: "option '--help' doesn't allow an argument" },
  { argv: ['--manually='], options: [], error: "option '--manually' doesn't allow an argument" },
  { argv: ['--dry-run=yes'], options: [], error: "option '--dry-run' doesn't allow an argument" },
  { argv: ['--bogus'], options: [], error: "unrecognized option '--bogus'" },
  { argv: ['--bogus=1'], options: [], error: "unrecognized option '--bogus=1'" },
  { argv: ['--no-refresh'], options: [], error: "unrecognized option '--no-refresh'" },
  { argv: ['---v'], options: [], error: "unrecognized option '---v'" },
  { argv: ['--Verbose'], options: [], error: "unrecognized option '--Verbose'" },
  { argv: ['--verbosee'], options: [], error: "unrecognized option '--verbosee'" },
  { argv: ['-x'], options: [], error: "invalid option -- 'x'" },
  { argv: ['-n=foo'], options: ['dry-run'], error: "invalid option -- '='" },
  { argv: ['-1'], options: [], error: "invalid option -- '1'" },
  { argv: ['-nx', 'g'], options: ['dry-run'], error: "invalid option -- 'x'" },
  { argv: ['-vn-'], options: ['verbose', 'dry-run'], error: "invalid option -- '-'" },
  { argv: ['-V'], options: [], error: "invalid option -- 'V'" },
  { argv: ['-h'], options: [], error: "invalid option -- 'h'" },
  { argv: ['-nv', 'g'], options: ['dry-run', 'verbose'], positionals: ['g'] },
  { argv: ['-vvv', '-v', 'g'], options: ['verbose', 'verbose', 'verbose', 'verbose'], positionals: ['g'] },
  { argv: ['--verbose', '-v', '--ve'], options: ['verbose', 'verbose'], error: "option '--ve' is ambiguous; possibilities: '--version' '--verbose'" },
  { argv: ['--', '-n', 'g'], options: [], positionals: ['-n', 'g'] },
  { argv: ['-n', '--', '--', 'g'], options: ['dry-run'], positionals: ['--', 'g'] },
  { argv: ['-', '-n'], options: [], positionals: ['-', '-n'] },
  { argv: ['g', '-n'], options: [], positionals: ['g', '-n'] },
  { argv: ['', '-n'], options: [], positionals: ['', '-n'] },
  { argv: ['--manually', '--destination', 'H', 'g', 'x', '-n'], options: ['manually', 'destination=H'], positionals: ['g', 'x', '-n'] },
  { argv: ['--manually', '--destination', 'H', 'g', 'x', '--bogus'], options: ['manually', 'destination=H'], positionals: ['g', 'x', '--bogus'] },
  { argv: ['--help', '--bogus'], options: ['help'] },
  { argv: ['--bogus', '--help'], options: [], error: "unrecognized option '--bogus'" },
  { argv: ['-n', '--help', '-x'], options: ['dry-run', 'help'] },
  { argv: ['--destination', 'H', '--version', '--ver'], options: ['destination=H', 'version'] },
  { argv: ['-x', '--version'], options: [], error: "invalid option -- 'x'" },
  { argv: ['--ver', '--help'], options: [], error: "option '--ver' is ambiguous; possibilities: '--version' '--verbose'" },
  { argv: ['--sledgehammer', '--insecure', '--sledgehammer'], options: ['sledgehammer', 'insecure', 'sledgehammer'], positionals: [] },
  { argv: ['--destination', 'a', '--destination=b', 'g'], options: ['destination=a', 'destination=b'], positionals: ['g'] },
  // An empty name is a prefix of every name, so here (only) our --protect joins upstream's ten.
  { argv: ['--=x'], options: [], error: "option '--=x' is ambiguous; possibilities: '--help' '--version' '--destination' '--insecure' '--sledgehammer' '--manually' '--refresh' '--ignore-mtime' '--dry-run' '--verbose' '--protect' '--all' '--no-wait' '--overview' '--gc' '--audit' '--audit-sample' '--fix' '--totals' '--json' '--explain' '--check' '--unhashify' '--unshared' '--clone' '--path' '--package'" },
];

describe('parseGetoptSteps', () => {
  describe('walks each command line as glibc 2.36 getopt_long does', () => {
    for (const expected of glibcCases) {
      it(`for ${JSON.stringify(expected.argv)}`, () => {
        assert.deepEqual(summarizeWalk(expected.argv), expected);
      });
    }
  });

  it('stops after the first error, yielding nothing more', () => {
    const steps = [...parseGetoptSteps(['-n', '--bogus', '-v', 'g'], 'vhashify', optionTable)];
    assert.deepEqual(steps.map((step) => step.kind), ['option', 'error']);
  });

  it('yields --help before looking at the words after it', () => {
    const walk = parseGetoptSteps(['--help', '--bogus'], 'vhashify', optionTable);
    const first = walk.next();
    assert.equal(first.done, false);
    assert.equal(first.value.kind === 'option' && first.value.option.name, 'help');
  });

  it('names the program in diagnostics exactly as argv0 was given', () => {
    const steps = [...parseGetoptSteps(['--bogus'], '/usr/lib/util-vserver/vhashify', optionTable)];
    assert.deepEqual(steps, [
      { kind: 'error', diagnostic: "/usr/lib/util-vserver/vhashify: unrecognized option '--bogus'\n" },
    ]);
  });

  it('ends with no positionals when argv is empty', () => {
    assert.deepEqual([...parseGetoptSteps([], 'vhashify', optionTable)], [{ kind: 'end', positionals: [] }]);
  });

  it('hands on the option row itself, not a copy', () => {
    const [step] = [...parseGetoptSteps(['--ig'], 'vhashify', optionTable)];
    assert.equal(step?.kind === 'option' && step.option, optionTable.find((row) => row.name === 'ignore-mtime'));
  });

  it('reports a non-ASCII short option as the whole character (glibc prints its first byte)', () => {
    assert.deepEqual(summarizeWalk(['-\u00e9']), { argv: ['-\u00e9'], options: [], error: "invalid option -- '\u00e9'" });
  });

  // Also recorded from glibc 2.36, with long options verbose, verb, dir (required, short d) and
  // optstring "+nd:", to cover what our own table does not have.
  describe('with a table that has an exact name inside another and a short option with an argument', () => {
    const table: readonly GetoptOption[] = [
      { name: 'verbose', argument: 'none' },
      { name: 'verb', argument: 'none' },
      { name: 'dir', short: 'd', argument: 'required' },
      { name: 'no-op', short: 'n', argument: 'none' },
    ];
    const cases: readonly WalkSummary[] = [
      { argv: ['--verb'], options: ['verb'], positionals: [] },
      { argv: ['--verbose'], options: ['verbose'], positionals: [] },
      { argv: ['--ver'], options: [], error: "option '--ver' is ambiguous; possibilities: '--verbose' '--verb'" },
      { argv: ['-dX'], options: ['dir=X'], positionals: [] },
      { argv: ['-d', 'X', 'g'], options: ['dir=X'], positionals: ['g'] },
      { argv: ['-nd', 'X'], options: ['no-op', 'dir=X'], positionals: [] },
      { argv: ['-dn'], options: ['dir=n'], positionals: [] },
      { argv: ['-d', '-n'], options: ['dir=-n'], positionals: [] },
      { argv: ['-d'], options: [], error: "option requires an argument -- 'd'" },
      { argv: ['-nd'], options: ['no-op'], error: "option requires an argument -- 'd'" },
      { argv: ['--dir'], options: [], error: "option '--dir' requires an argument" },
      { argv: ['--di='], options: ['dir='], positionals: [] },
    ];
    for (const expected of cases) {
      it(`walks ${JSON.stringify(expected.argv)} as glibc does`, () => {
        assert.deepEqual(summarizeWalk(expected.argv, table), expected);
      });
    }
  });
});
