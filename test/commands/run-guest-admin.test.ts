import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const stderr: Buffer[] = [];
  const out: Output = { out: () => undefined, err: (t) => stderr.push(Buffer.from(t)), flush: () => undefined };
  const code = await main(args, { argv0: 'vhashify', cwd: '/', env: { UTIL_VSERVER_VARS: '/nonexistent/util-vserver-vars', VHASHIFY_HINTS: '0' }, out });
  return { code, stderr: Buffer.concat(stderr).toString() };
}

describe('runGuestAdmin', () => {
  it('refuses combinations that mean nothing, before it reads any configuration', async () => {
    const cases: Array<[string[], string]> = [
      [['--path', '/etc', 'g1'], "vhashify: '--path' and '--package' go with '--unhashify' or '--unshared'\n"],
      [['--package', 'libc6', 'g1'], "vhashify: '--path' and '--package' go with '--unhashify' or '--unshared'\n"],
      [['--unhashify', '--clone', 'g1', 'g2'], "vhashify: '--unhashify' and '--clone' do not go together; give one of them\n"],
      [['--clone', '--path', '/etc', 'g1', 'g2'], "vhashify: '--clone' copies a whole tree: '--path' and '--package' do not go with it\n"],
      [['--unshared', '--all'], "vhashify: '--unshared' works on one guest: it does not go with '--all'\n"],
      [['--unshared', '--manually', '--destination', 'h', 'g', '--', 'true'], "vhashify: '--unshared' does not go with '--manually'\n"],
      [['--unhashify', '--manually', 'tree'], "vhashify: '--manually' requires '--destination'\n"],
      [['--unhashify', '--all', '--manually', '--destination', 'h'], "vhashify: '--all' and '--manually' do not go together: --all works on the configured guests\n"],
      [['--unhashify'], "vhashify: '--unhashify' needs a guest\n"],
      [['--clone'], "vhashify: '--clone' needs a guest to clone and a name for the new one\n"],
      [['--unhashify', '--overview', 'g1'], "vhashify: '--overview' and '--unhashify' do not go together; give one of them\n"],
      [['--overview', '--path', '/etc', 'g1'], "vhashify: '--path' and '--package' go with '--unhashify' or '--unshared'\n"],
      [['--unhashify', '--json', 'g1'], "vhashify: '--json' does not go with '--unhashify'\n"],
    ];
    for (const [args, stderr] of cases) assert.deepEqual(await run(args), { code: 1, stderr }, args.join(' '));
  });

  it('reaches the mode once the combination is sound (here: the missing installation stops it)', async () => {
    const result = await run(['--unhashify', 'g1']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Can not find util-vserver installation/);
  });
});
