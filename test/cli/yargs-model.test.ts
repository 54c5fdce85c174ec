// The yargs option model, and what plain yargs does with what getopt has to handle itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Options } from 'yargs';
import type { OptionRow } from '../../src/cli/option-table.js';
import { optionTable } from '../../src/cli/option-table.js';
import {
  computeYargsOptions, formatCanonicalArgument, listParserConfiguration, parseCanonicalArgv,
} from '../../src/cli/yargs-model.js';
import { createYargsInstance } from './plain-yargs.js';

function findRow(name: string): OptionRow {
  const row = optionTable.find((candidate) => candidate.name === name);
  assert.ok(row, name);
  return row;
}

// Plain yargs, set up as our model but with the user-facing names of the table.
function parseWithPlainYargs(argv: readonly string[]): Record<string, unknown> {
  const declarations: Record<string, Options> = {};
  for (const row of optionTable) {
    const type = row.effect.kind === 'count' ? 'count' : row.argument === 'required' ? 'string' : 'boolean';
    declarations[row.name] = row.short === undefined ? { type } : { type, alias: row.short };
  }
  return createYargsInstance().options(declarations).parseSync([...argv]) as Record<string, unknown>;
}

describe('computeYargsOptions', () => {
  it('declares one typed option per model key, the insecure level as a string with both levels', () => {
    assert.deepEqual(computeYargsOptions(), {
      destination: { type: 'string' },
      insecureLevel: { type: 'string', choices: ['1', '2'] },
      manual: { type: 'boolean' },
      refresh: { type: 'boolean' },
      ignoreMtime: { type: 'boolean' },
      dryRun: { type: 'boolean' },
      verbosity: { type: 'count' },
      protect: { type: 'string', choices: ['auto', 'vserver', 'immutable', 'none'] },
      all: { type: 'boolean' },
      noWait: { type: 'boolean' },
      overview: { type: 'boolean' },
      gc: { type: 'boolean' },
      audit: { type: 'boolean' },
      auditSample: { type: 'string' },
      fix: { type: 'boolean' },
      totals: { type: 'boolean' },
      json: { type: 'boolean' },
      explain: { type: 'string' },
      check: { type: 'boolean' },
      unhashify: { type: 'boolean' },
      unshared: { type: 'boolean' },
      clone: { type: 'boolean' },
      paths: { type: 'array' },
      packages: { type: 'array' },
    });
  });
});

describe('formatCanonicalArgument', () => {
  it('spells each accepted option by its model key, with any value attached', () => {
    assert.equal(formatCanonicalArgument(findRow('manually'), undefined), '--manual');
    assert.equal(formatCanonicalArgument(findRow('verbose'), undefined), '--verbosity');
    assert.equal(formatCanonicalArgument(findRow('destination'), '-n'), '--destination=-n');
    assert.equal(formatCanonicalArgument(findRow('destination'), ''), '--destination=');
    assert.equal(formatCanonicalArgument(findRow('sledgehammer'), undefined), '--insecureLevel=2');
    assert.equal(formatCanonicalArgument(findRow('path'), '/etc'), '--paths=/etc');
  });

  it('refuses --help and --version, which act at once', () => {
    assert.throws(() => formatCanonicalArgument(findRow('help'), undefined), /--help/);
    assert.throws(() => formatCanonicalArgument(findRow('version'), undefined), /--version/);
  });
});

describe('parseCanonicalArgv', () => {
  it('gives every setting its default for no words', () => {
    assert.deepEqual(parseCanonicalArgv([]), {
      manual: false, insecureLevel: 0, refresh: false, ignoreMtime: false, noWait: false, all: false, dryRun: false, verbosity: 0,
      overview: false, gc: false, audit: false, fix: false, totals: false, json: false, check: false,
      unhashify: false, unshared: false, clone: false, paths: [], packages: [],
    });
  });

  it('types flags, counts, values and assigned levels, the last value winning', () => {
    const words = [
      '--manual', '--manual', '--verbosity', '--verbosity', '--verbosity', '--insecureLevel=2', '--insecureLevel=1',
      '--destination=a', '--destination=--help', '--protect=none', '--dryRun', '--refresh', '--ignoreMtime',
    ];
    assert.deepEqual(parseCanonicalArgv(words), {
      manual: true, verbosity: 3, insecureLevel: 1, destination: '--help', protect: 'none', dryRun: true,
      refresh: true, ignoreMtime: true, noWait: false, all: false, overview: false, gc: false, audit: false, fix: false, totals: false, json: false, check: false,
      unhashify: false, unshared: false, clone: false, paths: [], packages: [],
    });
  });

  it('collects every value of a list option in the order given, as written', () => {
    const words = ['--paths=/etc', '--unhashify', '--packages=libc6', '--paths=-x', '--paths=', '--paths=a=b', '--paths=007'];
    const parsed = parseCanonicalArgv(words);
    assert.deepEqual(parsed.paths, ['/etc', '-x', '', 'a=b', '007']);
    assert.deepEqual(parsed.packages, ['libc6']);
    assert.equal(parsed.unhashify, true);
  });

  it('keeps values as written: no numbers, no splitting, empty allowed', () => {
    assert.equal(parseCanonicalArgv(['--destination=007']).destination, '007');
    assert.equal(parseCanonicalArgv(['--destination=a=b.c']).destination, 'a=b.c');
    assert.equal(parseCanonicalArgv(['--destination=']).destination, '');
    assert.equal(parseCanonicalArgv(['--destination= x\n']).destination, ' x\n');
  });

  it('throws on words outside the model, which would be a bug upstream of it', () => {
    assert.throws(() => parseCanonicalArgv(['--dry-run']), /dry-run/);
    assert.throws(() => parseCanonicalArgv(['--protect=off']), /protect/);
    assert.throws(() => parseCanonicalArgv(['--insecureLevel=3']), /insecureLevel/);
  });
});

describe('parseCanonicalArgv against yargs proper', () => {
  // Production types the words with yargs-parser alone (yargs costs ~120 ms to load); yargs, given
  // the same declarations and configuration, must read every canonical word list the same way.
  const wordLists: string[][] = [
    [],
    ['--manual', '--verbosity', '--verbosity', '--destination=/h', '--insecureLevel=2'],
    ['--dryRun', '--refresh', '--ignoreMtime', '--noWait', '--protect=immutable', '--destination='],
    ['--totals', '--json', '--all', '--totals'],
    ['--insecureLevel=2', '--insecureLevel=1', '--destination=a=b', '--destination=--x', '--protect=none'],
  ];
  it('agrees on list words, given the list pass configuration', () => {
    const words = ['--paths=/etc', '--paths=-x', '--packages=libc6', '--paths=a=b'];
    const viaYargs = createYargsInstance().parserConfiguration(listParserConfiguration).options(computeYargsOptions()).parseSync([...words]) as Record<string, unknown>;
    const ours = parseCanonicalArgv(words);
    assert.deepEqual(viaYargs['paths'], ours.paths);
    assert.deepEqual(viaYargs['packages'], ours.packages);
  });

  for (const words of wordLists) {
    it(`agrees on [${words.join(' ')}]`, () => {
      const viaYargs = createYargsInstance().options(computeYargsOptions()).parseSync([...words]) as Record<string, unknown>;
      const ours = parseCanonicalArgv(words) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(ours)) {
        const theirs = viaYargs[key];
        if (typeof value === 'number' && key === 'insecureLevel') assert.equal(String(value), theirs ?? '0', key);
        else if (typeof value === 'boolean') assert.equal(value, theirs === true, key);
        else if (typeof value === 'number') assert.equal(value, theirs ?? 0, key);
        else if (Array.isArray(value)) assert.deepEqual(value, theirs ?? [], key);
        else assert.equal(value, theirs, key);
      }
    });
  }
});

// Why getopt.ts exists: each case is a getopt_long rule (verified against glibc in getopt.test.ts)
// that yargs, configured like our model, gets wrong. Should yargs ever learn one, its test fails.
describe('plain yargs, in contrast to getopt_long', () => {
  it('rejects the abbreviation --verb', () => {
    assert.throws(() => parseWithPlainYargs(['--verb', 'g']), /Unknown argument: verb/);
  });

  it('does not take --help as the value of --destination, but requests help', () => {
    const parsed = parseWithPlainYargs(['--destination', '--help', 'g']);
    assert.equal(parsed['destination'], '');
    assert.equal(parsed['help'], true);
  });

  it('reads -n=foo as dry-run off instead of reporting the invalid option =', () => {
    assert.equal(parseWithPlainYargs(['-n=foo', 'g'])['dry-run'], false);
  });

  it('takes -1 for a positional instead of reporting the invalid option 1', () => {
    assert.deepEqual(parseWithPlainYargs(['-1', 'g'])['_'], ['-1', 'g']);
  });

  it('accepts --help=x silently instead of refusing an argument to --help', () => {
    assert.equal(parseWithPlainYargs(['--help=x'])['help'], false);
  });

  it('reports an unknown option after --help instead of acting on --help', () => {
    assert.throws(() => parseWithPlainYargs(['--help', '--bogus']), /Unknown argument: bogus/);
  });

  it('adds repeated number options up, which is why the insecure level is a string', () => {
    const parsed = createYargsInstance().options({ level: { type: 'number' } }).parseSync(['--level=2', '--level=1']);
    assert.equal(parsed['level'], 3);
  });

  // The one rule it shares; getopt still splits off the positionals, as it must walk every word.
  it('halts at the first non-option, as optstring "+" does', () => {
    assert.deepEqual(parseWithPlainYargs(['-n', 'g', '-v'])['_'], ['g', '-v']);
  });
});
