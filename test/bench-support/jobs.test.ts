import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatFloorCommand, formatHardlinkCommand } from '../bench/baselines.js';
import { createBenchLayout, findBenchDir } from '../bench/bench-dir.js';
import { createOursEnv, createStore, formatOursCommands, formatUpstreamCommands } from '../bench/jobs.js';
import { runCommand } from '../bench/run-command.js';

const base = mkdtempSync(join(tmpdir(), 'bench-jobs-'));
after(() => rmSync(base, { recursive: true, force: true }));

describe('the commands each job runs', () => {
  const layout = createBenchLayout(base);

  it('puts every option of ours before the guest path, where upstream getopt still reads them', () => {
    const [first, second] = formatOursCommands('/repo/bin/vhashify', layout, '/repo/compat/vunify-exclude', ['/w/g1', '/w/g2']);
    assert.deepEqual(first, {
      file: '/repo/bin/vhashify',
      args: ['--protect', 'none', '--json', '--manually', '--destination', layout.hashDir, '/w/g1', '/repo/compat/vunify-exclude'],
    });
    assert.equal(second!.args[6], '/w/g2');
    assert.equal(createOursEnv(layout, { PATH: '/bin' })['VHASHIFY_CACHE_DIR'], layout.indexCacheDir);
  });

  it('runs upstream in manual mode on the same store, guests and exclude list, with absolute paths and no option of ours', () => {
    const relative = createBenchLayout('bench-rel');
    const [first, second] = formatUpstreamCommands('/up/vhashify', relative, 'compat/vunify-exclude', ['/w/g1', 'w/g2'], ['--sledgehammer']);
    assert.deepEqual(first, {
      file: '/up/vhashify',
      args: ['--sledgehammer', '--manually', '--destination', join(process.cwd(), 'bench-rel', 'work', 'hash'), '/w/g1', join(process.cwd(), 'compat', 'vunify-exclude')],
    });
    assert.equal(second!.args[4], join(process.cwd(), 'w', 'g2'));
  });

  it('creates a sha1 store with one storage root', () => {
    createStore(layout);
    assert.equal(readFileSync(join(layout.hashDir, 'method'), 'utf8'), 'sha1\n');
    assert.deepEqual(readdirSync(layout.hashDir).filter((n) => statSync(join(layout.hashDir, n)).isDirectory()), ['root']);
  });

  it('runs hardlink with a 16-byte minimum over all guests', () => {
    assert.deepEqual(formatHardlinkCommand(['/a', '/b']), { file: 'hardlink', args: ['-s', '16', '/a', '/b'] });
  });

  it('hashes exactly the files of 16 bytes and more in the floor', () => {
    const floor = formatFloorCommand([join(base, 'f')]);
    runCommand('sh', ['-c', 'mkdir -p "$1" && printf 0123456789abcde > "$1/short" && printf 0123456789abcdef > "$1/long"', 'sh', join(base, 'f')]);
    const script = floor.args[1]!.replace('> /dev/null', '');
    const listed = runCommand('sh', ['-c', script, ...floor.args.slice(2)]).stdout;
    assert.match(listed, /\/f\/long\n$/);
    assert.doesNotMatch(listed, /short/);
  });

  it('reads the bench directory from VHASHIFY_BENCH_DIR', () => {
    assert.equal(findBenchDir({ VHASHIFY_BENCH_DIR: '/srv/b' }), '/srv/b');
    assert.equal(findBenchDir({}), '/var/tmp/vhashify-bench');
  });
});
