import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { getTerminalColumns } from '../../src/sys/terminal-size.js';
import { repoRoot } from '../support/paths.js';

describe('getTerminalColumns', () => {
  it('is undefined for a descriptor that is no terminal: a file, a pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vhashify-terminal-size-'));
    try {
      const fd = openSync(join(dir, 'f'), 'w');
      assert.equal(getTerminalColumns(fd), undefined);
      closeSync(fd);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const piped = spawnSync(process.execPath, ['--input-type=module', '-e',
      `import { getTerminalColumns } from '${join(repoRoot, 'dist/src/sys/terminal-size.js')}'; console.log(String(getTerminalColumns(1)));`]);
    assert.equal(piped.stdout.toString(), 'undefined\n');
  });

  it('reads the width a pseudo-terminal was given', (t) => {
    if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) return t.skip('script(1) is not installed');
    const program = `import { getTerminalColumns } from '${join(repoRoot, 'dist/src/sys/terminal-size.js')}'; console.log('columns=' + getTerminalColumns(2));`;
    const command = `stty cols 57 rows 10; '${process.execPath}' --input-type=module -e "${program}"`;
    const run = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8' });
    assert.match(run.stdout, /columns=57\r?\n/);
  });
});
