// parseCommandLine: the outcome main() acts on, checked against upstream's recorded runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatHelp } from '../../src/cli/help-text.js';
import type { CommandLine } from '../../src/cli/parse-command-line.js';
import { parseCommandLine } from '../../src/cli/parse-command-line.js';
import { formatVersion } from '../../src/cli/version-text.js';
import { vectorsDir } from '../support/paths.js';

interface VectorStep {
  readonly name: string;
  readonly argv: readonly string[];
  readonly exit_code: number;
  readonly output: Record<string, { readonly stdout: string; readonly stderr: string }>;
}
interface VectorScenario {
  readonly id: string;
  readonly steps: readonly VectorStep[];
}

const root = '/srv/scenario';
const levels = [0, 1, 2, 3, 4, 5, 6];

function readScenarios(): readonly VectorScenario[] {
  const trees = JSON.parse(readFileSync(join(vectorsDir, 'trees.json'), 'utf8')) as { scenarios: VectorScenario[] };
  return trees.scenarios;
}

function findT09Step(name: string): VectorStep {
  const step = readScenarios().find((scenario) => scenario.id.startsWith('t09'))?.steps.find((s) => s.name === name);
  assert.ok(step, `trees.json has no t09 step '${name}'`);
  return step;
}

// The step's argv at one verbosity level, as vectors/README.md describes the placeholders.
function expandArgv(argv: readonly string[], level: number): string[] {
  return argv
    .filter((word) => word !== '${V}' || level > 0)
    .map((word) => (word === '${V}' ? `-${'v'.repeat(level)}` : word.replaceAll('${ROOT}', root)));
}

function parseRun(argv: readonly string[]): CommandLine {
  const outcome = parseCommandLine(argv, 'vhashify');
  assert.equal(outcome.kind, 'run', JSON.stringify(outcome));
  return outcome.kind === 'run' ? outcome.commandLine : assert.fail();
}

const defaults: CommandLine = {
  manual: false, insecureLevel: 0, refresh: false, ignoreMtime: false, noWait: false, dryRun: false, verbosity: 0, all: false, check: false,
  overview: false, gc: false, audit: false, fix: false, totals: false, json: false,
  unhashify: false, unshared: false, clone: false, paths: [], packages: [], positionals: [],
};

describe('parseCommandLine', () => {
  describe("reproduces upstream's t09 runs", () => {
    for (const level of levels) {
      it(`reports an unknown option byte for byte at verbosity ${level}`, () => {
        const step = findT09Step('unknown option');
        const expected = step.output[String(level)];
        assert.equal(expected.stdout, '');
        assert.deepEqual(parseCommandLine(expandArgv(step.argv, level), 'vhashify'), {
          kind: 'error', stderr: expected.stderr, exitCode: step.exit_code,
        });
      });
    }

    it('hands a run without positionals to main, which reports that nothing was given', () => {
      const step = findT09Step('no arguments');
      for (const level of levels) {
        assert.deepEqual(parseRun(expandArgv(step.argv, level)), { ...defaults, verbosity: level });
      }
    });

    it('ignores a -n after the guest directory, so the run is not a dry run', () => {
      const step = findT09Step("options after the guest dir are ignored: '-n' at the end does not make a dry run");
      for (const level of levels) {
        assert.deepEqual(parseRun(expandArgv(step.argv, level)), {
          ...defaults, manual: true, destination: `${root}/hash`, verbosity: level,
          positionals: [Buffer.from(`${root}/guest2`), Buffer.from(`${root}/exclude1`), Buffer.from('-n')],
        });
      }
    });

    it('answers --help with the help text and exit status 0', () => {
      const step = findT09Step('--help');
      assert.equal(step.exit_code, 0);
      assert.deepEqual(parseCommandLine(expandArgv(step.argv, 0), 'vhashify'), { kind: 'help', stdout: formatHelp('vhashify') });
    });
  });

  it('accepts the command line of every step of the golden vectors except the deliberate errors', () => {
    let runs = 0;
    for (const scenario of readScenarios()) {
      for (const step of scenario.steps) {
        if (step.name === 'unknown option' || step.name === '--help') continue;
        for (const level of levels) {
          const commandLine = parseRun(expandArgv(step.argv, level));
          assert.equal(commandLine.verbosity, level);
          runs += 1;
        }
      }
    }
    assert.ok(runs > 300, `only ${runs} command lines found`);
  });

  it('gives every setting its default when no option is given', () => {
    assert.deepEqual(parseRun(['guest']), { ...defaults, positionals: [Buffer.from('guest')] });
  });

  it('sets every option, whether abbreviated, bundled or spelt out', () => {
    const argv = [
      '--m', '--dest=H', '--ref', '--ig', '-nv', '--verb', '-v', '--sledge', '--prot', 'none', '--al', '--no', '--unh', '--uns', '--cl',
      '--pat', '/etc', '--pac=libc6', '--path=-x', '--', '-g', 'x',
    ];
    assert.deepEqual(parseRun(argv), {
      manual: true, destination: 'H', insecureLevel: 2, refresh: true, ignoreMtime: true, noWait: true, all: true, totals: false, dryRun: true,
      verbosity: 3, protect: 'none', unhashify: true, unshared: true, clone: true, paths: ['/etc', '-x'], packages: ['libc6'], check: false,
      overview: false, gc: false, audit: false, fix: false, json: false,
      positionals: [Buffer.from('-g'), Buffer.from('x')],
    });
  });

  it('takes the path of --explain as given (bytes kept) and --check as a flag, abbreviated or not', () => {
    assert.deepEqual(parseRun(['--explain', '/etc/passwd', 'g1']), { ...defaults, explain: '/etc/passwd', positionals: [Buffer.from('g1')] });
    assert.equal(parseRun(['--ex=/usr/bin/ls', 'g1']).explain, '/usr/bin/ls');
    assert.equal(parseRun(['--explain', '--help', 'g1']).explain, '--help', 'a required argument is taken whatever it looks like');
    // Words are byte strings here (argv-bytes.ts): the byte 0xff stays one character.
    assert.equal(parseRun(['--explain', '/\xff', 'g1']).explain, '/\xff');
    assert.equal(parseRun(['--ch', 'g1']).check, true);
    assert.equal(parseRun(['--check', '--check', 'g1']).check, true);
  });

  it('sets --totals and --json, spelt out or abbreviated to --t and --j', () => {
    assert.deepEqual(parseRun(['--totals', '--json', 'g']), { ...defaults, totals: true, json: true, positionals: [Buffer.from('g')] });
    assert.deepEqual(parseRun(['--t', '--j', 'g']), { ...defaults, totals: true, json: true, positionals: [Buffer.from('g')] });
  });

  it('treats everything after the first non-option as positional, even --help', () => {
    assert.deepEqual(parseRun(['--manually', '--destination', 'H', 'g', 'x', '-n', '--help', '--bogus']), {
      ...defaults, manual: true, destination: 'H', positionals: [Buffer.from('g'), Buffer.from('x'), Buffer.from('-n'), Buffer.from('--help'), Buffer.from('--bogus')],
    });
  });

  it('takes a lone - as the first positional', () => {
    assert.deepEqual(parseRun(['-v', '-', '-n']).positionals, [Buffer.from('-'), Buffer.from('-n')]);
  });

  it('ends options at -- and keeps a second -- as a positional', () => {
    assert.deepEqual(parseRun(['-n', '--', '--', '-v']), { ...defaults, dryRun: true, positionals: [Buffer.from('--'), Buffer.from('-v')] });
  });

  it('counts every -v, bundled or not', () => {
    assert.equal(parseRun(['-vvv', '--verbose', '-nvv', 'g']).verbosity, 6);
  });

  it('keeps the last --destination and accepts an empty one (QUIRK Q03 is main\'s to reproduce)', () => {
    assert.equal(parseRun(['--destination', 'a', '--destination=b', 'g']).destination, 'b');
    assert.equal(parseRun(['--destination', 'a', '--destination=', 'g']).destination, '');
    assert.equal(parseRun(['--destination=a=b', 'g']).destination, 'a=b');
  });

  it('takes the word after --destination as its value whatever it looks like', () => {
    assert.deepEqual(parseRun(['--destination', '--help', '-n', 'g']), {
      ...defaults, destination: '--help', dryRun: true, positionals: [Buffer.from('g')],
    });
    assert.deepEqual(parseRun(['--destination', '-n', 'g']), { ...defaults, destination: '-n', positionals: [Buffer.from('g')] });
  });

  it('lets the last of --insecure and --sledgehammer set the insecure level (QUIRK Q02)', () => {
    assert.equal(parseRun(['--insecure', 'g']).insecureLevel, 1);
    assert.equal(parseRun(['--sledgehammer', 'g']).insecureLevel, 2);
    assert.equal(parseRun(['--sledgehammer', '--insecure', 'g']).insecureLevel, 1);
    assert.equal(parseRun(['--insecure', '--sledgehammer', 'g']).insecureLevel, 2);
    assert.equal(parseRun(['--sledgehammer', '--insecure', '--sledgehammer', 'g']).insecureLevel, 2);
  });

  it('accepts every protection policy and keeps the last one given', () => {
    for (const policy of ['auto', 'vserver', 'immutable', 'none'] as const) {
      assert.equal(parseRun([`--protect=${policy}`, 'g']).protect, policy);
    }
    assert.equal(parseRun(['--protect', 'none', '--protect', 'vserver', 'g']).protect, 'vserver');
  });

  it('refuses an unknown protection policy with the valid ones and the help hint', () => {
    assert.deepEqual(parseCommandLine(['--protect', 'Immutable', 'g'], 'vhashify'), {
      kind: 'error',
      exitCode: 1,
      stderr: "vhashify: invalid argument 'Immutable' for '--protect'\n"
        + "Valid arguments are: 'auto', 'vserver', 'immutable', 'none'\n"
        + "Try 'vhashify --help' for more information.\n",
    });
  });

  it('refuses an empty protection policy and a bad one even when a good one follows', () => {
    assert.equal(parseCommandLine(['--protect=', 'g'], 'vhashify').kind, 'error');
    assert.equal(parseCommandLine(['--protect=off', '--protect=none', 'g'], 'vhashify').kind, 'error');
  });

  it('checks a protection policy when it is met, so one before --help wins and one after is ignored', () => {
    assert.equal(parseCommandLine(['--protect=off', '--help'], 'vhashify').kind, 'error');
    assert.equal(parseCommandLine(['--help', '--protect=off'], 'vhashify').kind, 'help');
  });

  it('prints help or version for the first of them met and ignores the rest, errors included', () => {
    assert.deepEqual(parseCommandLine(['-n', '--help', '--bogus'], 'vhashify'), { kind: 'help', stdout: formatHelp('vhashify') });
    assert.deepEqual(parseCommandLine(['--vers', '--help'], 'vhashify'), { kind: 'version', stdout: formatVersion() });
    assert.deepEqual(parseCommandLine(['--h', '--version', '-x'], 'vhashify'), { kind: 'help', stdout: formatHelp('vhashify') });
  });

  it('reports an error met before --help instead of the help', () => {
    assert.deepEqual(parseCommandLine(['-x', '--help'], 'vhashify'), {
      kind: 'error', exitCode: 1,
      stderr: "vhashify: invalid option -- 'x'\nTry 'vhashify --help' for more information.\n",
    });
  });

  it('writes help with the argv0 it was given', () => {
    const outcome = parseCommandLine(['--help'], '/usr/lib/util-vserver/vhashify');
    assert.deepEqual(outcome, { kind: 'help', stdout: formatHelp('/usr/lib/util-vserver/vhashify') });
  });

  it('follows each glibc diagnostic with the help hint naming argv0', () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [['--ver'], "option '--ver' is ambiguous; possibilities: '--version' '--verbose'"],
      [['--d'], "option '--d' is ambiguous; possibilities: '--destination' '--dry-run'"],
      [['--i'], "option '--i' is ambiguous; possibilities: '--insecure' '--ignore-mtime'"],
      [['--destination'], "option '--destination' requires an argument"],
      [['--help=yes'], "option '--help' doesn't allow an argument"],
      [['-n=1'], "invalid option -- '='"],
      [['--foo'], "unrecognized option '--foo'"],
    ];
    for (const [argv, diagnostic] of cases) {
      assert.deepEqual(parseCommandLine(argv, './vh'), {
        kind: 'error', exitCode: 1, stderr: `./vh: ${diagnostic}\nTry './vh --help' for more information.\n`,
      });
    }
  });
});
