import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineSequential, measureCommand, parseTimeOutput } from '../bench/measure.js';

describe('parseTimeOutput', () => {
  it('reads user, system, peak RSS and exit status', () => {
    assert.deepEqual(parseTimeOutput('1.52 1.20 0.31 45312 0\n'), { userS: 1.2, sysS: 0.31, maxRssKiB: 45312, exitCode: 0 });
  });

  it('skips the line GNU time adds for a failing command', () => {
    assert.deepEqual(parseTimeOutput('Command exited with non-zero status 3\n0.00 0.00 0.00 1664 3\n'), { userS: 0, sysS: 0, maxRssKiB: 1664, exitCode: 3 });
  });

  it('refuses anything else', () => {
    assert.throws(() => parseTimeOutput(''), /unexpected GNU time output/);
    assert.throws(() => parseTimeOutput('1.0 2.0 x 4 0'), /unexpected GNU time output/);
  });
});

describe('measureCommand', () => {
  it('measures a real command and its exit status', () => {
    const m = measureCommand('sh', ['-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 3']);
    assert.equal(m.exitCode, 3);
    assert.ok(m.wallS > 0 && m.wallS < 30);
    assert.ok(m.maxRssKiB > 100, `peak RSS ${m.maxRssKiB} KiB`);
  });

  it('counts the memory of a child process the command waits for', () => {
    const m = measureCommand('sh', ['-c', `${JSON.stringify(process.execPath)} -e "globalThis.b = Buffer.alloc(64 * 1024 * 1024, 1)"`]);
    assert.equal(m.exitCode, 0);
    assert.ok(m.maxRssKiB > 64 * 1024, `peak RSS ${m.maxRssKiB} KiB`);
  });
});

describe('combineSequential', () => {
  it('adds times, keeps the largest peak and the first failure', () => {
    const combined = combineSequential([
      { wallS: 1, cpuS: 0.5, maxRssKiB: 100, exitCode: 0 },
      { wallS: 2, cpuS: 1.5, maxRssKiB: 300, exitCode: 2 },
      { wallS: 3, cpuS: 1, maxRssKiB: 200, exitCode: 0 },
    ]);
    assert.deepEqual(combined, { wallS: 6, cpuS: 3, maxRssKiB: 300, exitCode: 2 });
  });
});
