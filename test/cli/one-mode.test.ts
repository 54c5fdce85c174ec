import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandLine } from '../../src/cli/command-line.js';
import { main } from '../../src/cli/main.js';
import { modeConflict, modeOptions } from '../../src/cli/one-mode.js';
import type { Output } from '../../src/report/output.js';

const run: CommandLine = {
  manual: false, insecureLevel: 0, refresh: false, ignoreMtime: false, noWait: false, dryRun: false, verbosity: 0, all: false,
  overview: false, gc: false, audit: false, fix: false, totals: false, json: false, check: false,
  unhashify: false, unshared: false, clone: false, paths: [], packages: [], positionals: [],
};

describe('modeOptions and modeConflict', () => {
  it('finds no mode in a plain run, and no conflict in one mode with its own options', () => {
    assert.deepEqual(modeOptions(run), []);
    assert.equal(modeConflict(run), undefined);
    assert.equal(modeConflict({ ...run, audit: true, fix: true, json: true, all: true }), undefined);
    assert.deepEqual(modeOptions({ ...run, explain: '' }), ['--explain']);
  });

  it('names every mode given, in the order of the option table', () => {
    assert.equal(modeConflict({ ...run, gc: true, audit: true }), "vhashify: '--gc' and '--audit' do not go together; give one of them\n");
    assert.equal(modeConflict({ ...run, clone: true, overview: true, gc: true, audit: true }),
      "vhashify: '--overview', '--gc', '--audit' and '--clone' do not go together; give one of them\n");
  });
});

describe('main with two modes', () => {
  it('refuses them before it reads any configuration', async () => {
    const cases: Array<[string[], string]> = [
      [['--explain', '/etc/passwd', '--check', 'g1'], "vhashify: '--explain' and '--check' do not go together; give one of them\n"],
      [['--check', '--gc', '--all'], "vhashify: '--gc' and '--check' do not go together; give one of them\n"],
      [['--unshared', '--explain=/x', 'g1', '--', 'true'], "vhashify: '--explain' and '--unshared' do not go together; give one of them\n"],
    ];
    for (const [args, expected] of cases) {
      const stderr: string[] = [];
      const out: Output = { out: () => undefined, err: (t) => stderr.push(String(t)), flush: () => undefined };
      const code = await main(args, { argv0: 'vhashify', cwd: '/', env: { UTIL_VSERVER_VARS: '/nonexistent/util-vserver-vars', VHASHIFY_HINTS: '0' }, out });
      assert.deepEqual({ code, stderr: stderr.join('') }, { code: 1, stderr: expected }, args.join(' '));
    }
  });
});
