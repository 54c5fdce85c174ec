// Evidence for not using `ini` to read util-vserver-vars: what ini.parse makes of lines that
// bash (which is what util-vserver's scripts source the file with) reads otherwise. Bash itself
// is the reference: each line is also evaluated by bash and by our parseShellVars.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import ini from 'ini';
import { parseShellVars } from '../../src/config/parse-shell-vars.js';

// Each case: a fragment, the variable to look at, and what ini.parse gives for it.
const cases: Array<[fragment: string, name: string, fromIni: unknown]> = [
  // ini strips the double quotes and leaves `$A` unexpanded (see below: no pass after it can fix that).
  ['A=/x\nD="$A"', 'D', '$A'],
  // ini turns quoted words into JSON values.
  ["T='true'", 'T', true],
  // A comment after a quoted value keeps the quotes in the value.
  ['L="multi word" # trailing', 'L', '"multi word"'],
  // `#` and `;` inside an unquoted word start an ini comment; for bash `#` is only a comment at a word's start.
  ['K=a#b', 'K', 'a'],
  // Backslash escapes are bash's, not JSON's: ini keeps the quotes when JSON.parse fails.
  ['I="C:\\path \\$HOME"', 'I', '"C:\\path \\$HOME"'],
  // Quote concatenation, common in shell, is not understood.
  [`H='it'"'"'s'`, 'H', `it'"'"'s`],
];

function evaluateWithBash(fragment: string, name: string): string | undefined {
  const run = spawnSync('bash', ['-c', `${fragment}\nprintf '%s' "$${name}"`], { encoding: 'latin1', env: {} });
  return run.error === undefined && run.status === 0 ? run.stdout : undefined;
}

describe('ini.parse compared with bash on util-vserver-vars lines', () => {
  for (const [fragment, name, fromIni] of cases) {
    it(`distorts ${JSON.stringify(fragment)}, which parseShellVars reads as bash does`, (t) => {
      const parsed = ini.parse(fragment) as Record<string, unknown>;
      assert.deepEqual(parsed[name], fromIni);
      const ours = parseShellVars(Buffer.from(`${fragment}\n`)).vars.get(name)?.toString('latin1');
      const bash = evaluateWithBash(fragment, name);
      if (bash === undefined) {
        t.skip('bash is not available to compare with');
        return;
      }
      assert.equal(ours, bash);
      assert.notDeepEqual(fromIni, bash);
    });
  }

  it("gives the same value for '$A' and \"$A\", so no expansion pass after it can tell which to expand", () => {
    const parsed = ini.parse("A=/x\nS='$A'\nD=\"$A\"\n") as Record<string, unknown>;
    assert.equal(parsed['S'], '$A');
    assert.equal(parsed['D'], '$A');
    const ours = parseShellVars(Buffer.from("A=/x\nS='$A'\nD=\"$A\"\n")).vars;
    assert.equal(ours.get('S')?.toString(), '$A');
    assert.equal(ours.get('D')?.toString(), '/x');
  });

  it('files every later name under a section once a line looks like one', () => {
    const parsed = ini.parse("[x]\nB='/y'\n") as Record<string, Record<string, unknown> | undefined>;
    assert.equal(parsed['B'], undefined);
    assert.equal(parsed['x']?.['B'], '/y');
  });
});
