import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ExcludeRule } from '../../src/exclude/exclude-rule.js';
import { createMatchList } from '../../src/exclude/match-list.js';
import { parseConffileList, parseExcludeList } from '../../src/exclude/parse-exclude-list.js';
import { repoRoot, vectorsDir } from '../support/paths.js';

const list = (text: string) => createMatchList(parseExcludeList(Buffer.from(text), 'test'));
const verdict = (l: ReturnType<typeof list>, path: string) => l.decide(Buffer.from(path)).verdict;

describe('createMatchList', () => {
  it('lets the first matching entry decide', () => {
    const l = list('+/order/xy\n/order/x*\n');
    assert.equal(verdict(l, '/order/xy'), 'include');
    assert.equal(verdict(l, '/order/xz'), 'exclude');
    const reversed = list('/order/x*\n+/order/xy\n');
    assert.equal(verdict(reversed, '/order/xy'), 'exclude');
  });

  it('includes a path that no entry matches, naming no rule', () => {
    const decision = list('/var\n').decide(Buffer.from('/usr'));
    assert.deepEqual(decision, { verdict: 'include' });
  });

  it('names the deciding rule with its source and line', () => {
    const decision = list('/var\n~/etc/*\n').decide(Buffer.from('/etc/shadow'));
    assert.equal(decision.verdict, 'skip');
    assert.equal(decision.rule?.pattern.toString(), '/etc/*');
    assert.equal(decision.rule?.source, 'test');
    assert.equal(decision.rule?.line, 2);
  });

  it('keeps list order between exact entries and wildcard entries', () => {
    assert.equal(verdict(list('+/a*\n/ab\n'), '/ab'), 'include');
    assert.equal(verdict(list('/ab\n+/a*\n'), '/ab'), 'exclude');
    assert.equal(verdict(list('+/ab\n/ab\n'), '/ab'), 'include');
    assert.equal(verdict(list('~/ab\n+/ab\n/a*\n'), '/ab'), 'skip');
  });

  it('decides only the path it is given: pruning below an excluded directory is the walker job', () => {
    const l = list('/dev\n');
    assert.equal(verdict(l, '/dev'), 'exclude');
    assert.equal(verdict(l, '/dev/null'), 'include');
  });

  it('compares conffile entries by exact bytes, so glob characters in them are literal', () => {
    const rules = [...parseConffileList(Buffer.from('/etc/*\n/usr/lib/x\n'), 'vpkg'), ...parseExcludeList(Buffer.from('+/usr/*\n'), 'exclude')];
    const l = createMatchList(rules);
    assert.equal(verdict(l, '/etc/*'), 'exclude');
    assert.equal(verdict(l, '/etc/passwd'), 'include');
    // A `+` line cannot re-include a conffile because conffile entries come first.
    assert.equal(verdict(l, '/usr/lib/x'), 'exclude');
    assert.equal(verdict(l, '/usr/lib/y'), 'include');
  });

  it('stays correct with thousands of conffile entries', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `/usr/share/pkg${i}/conf`).join('\n');
    const l = createMatchList([...parseConffileList(Buffer.from(`${lines}\n`), 'vpkg'), ...parseExcludeList(Buffer.from('/usr/share/*\n'), 'x')]);
    assert.equal(l.decide(Buffer.from('/usr/share/pkg4999/conf')).rule?.line, 5000);
    assert.equal(l.decide(Buffer.from('/usr/share/pkg5000/conf')).rule?.source, 'x');
    assert.equal(verdict(l, '/usr/lib/x'), 'include');
  });

  it('matches raw bytes that are not UTF-8', () => {
    const rules: ExcludeRule[] = [{ kind: 'exclude', pattern: Buffer.from([0x2f, 0x3f]), source: 's', line: 1 }];
    const l = createMatchList(rules);
    assert.equal(l.decide(Buffer.from([0x2f, 0xff])).verdict, 'exclude');
    assert.equal(l.decide(Buffer.from([0x2f, 0xc3, 0xa9])).verdict, 'include');
  });
});

describe('the default list compat/vunify-exclude', () => {
  const rules = parseExcludeList(readFileSync(join(repoRoot, 'compat', 'vunify-exclude')), 'vunify-exclude');
  const l = createMatchList(rules);
  // [path, verdict, deciding line or 0 for "no rule"], following spec 3.8.
  const expected: Array<[string, string, number]> = [
    ['/.rpmdb', 'exclude', 1], ['/dev', 'exclude', 2],
    ['/etc', 'include', 0], ['/etc/shadow', 'skip', 3], ['/etc/passwd', 'skip', 4], ['/etc/group', 'skip', 5],
    ['/etc/passwd-', 'exclude', 10], ['/etc/termcap', 'include', 6], ['/etc/ssh/sshd_config', 'exclude', 10],
    ['/etc/gconf', 'include', 7], ['/etc/gconf/schemas', 'include', 8],
    ['/etc/gconf/schemas/x', 'exclude', 9], ['/etc/gconf/gconf.xml.defaults', 'exclude', 9],
    ['/home', 'exclude', 11], ['/proc', 'exclude', 12], ['/mnt', 'exclude', 13],
    ['/root', 'include', 0], ['/root/.ssh', 'include', 14], ['/root/.ssh/id_rsa', 'skip', 15],
    ['/root/.ssh/id_ed25519.pub', 'skip', 15], ['/root/.ssh/known_hosts', 'exclude', 16],
    ['/root/.gnupg', 'include', 17], ['/root/.gnupg/secring.gpg', 'skip', 18], ['/root/.gnupg/pubring.gpg', 'exclude', 19],
    ['/root/.bashrc', 'exclude', 20], ['/root/bin/tool', 'exclude', 20],
    ['/selinux', 'exclude', 21], ['/sys', 'exclude', 22], ['/tmp/x', 'skip', 23], ['/tmp', 'exclude', 24],
    ['/var/tmp/x', 'skip', 25], ['/var', 'exclude', 26], ['/var/lib/dpkg/status', 'include', 0],
    ['/usr/share/texmf/ls-R', 'exclude', 27], ['/usr/ls-R', 'exclude', 27], ['/ls-R', 'include', 0],
    ['/usr', 'include', 0], ['/usr/bin/perl', 'include', 0], ['/bin/sh', 'include', 0], ['/lib64/libc.so.6', 'include', 0],
    ['/opt/app/lib.so', 'include', 0], ['/boot/vmlinuz', 'include', 0], ['/srv/www/index.html', 'include', 0],
  ];

  it('has the 27 entries of upstream, every line ending in a newline', () => {
    const bytes = readFileSync(join(repoRoot, 'compat', 'vunify-exclude'));
    assert.equal(rules.length, 27);
    assert.equal(bytes.toString().split('\n').length, 28);
    assert.equal(bytes.at(-1), 0x0a);
  });

  for (const [path, want, line] of expected) {
    it(`gives ${path} the verdict ${want}${line ? ` from line ${line}` : ' by default'}`, () => {
      const decision = l.decide(Buffer.from(path));
      assert.equal(decision.verdict, want);
      assert.equal(decision.rule?.line ?? 0, line);
    });
  }
});

interface T02Scenario {
  id: string;
  tree: Array<{ path: string; content_b64?: string }>;
  initial_state: Array<{ path: string; type: string }>;
  steps: Array<{ name: string; argv: string[]; output: Record<string, { stdout: string }> }>;
}

describe('exclude decisions of vector scenario t02', () => {
  const trees = JSON.parse(readFileSync(join(vectorsDir, 'trees.json'), 'utf8')) as { scenarios: T02Scenario[] };
  const scenario = trees.scenarios.find((s) => s.id.startsWith('t02'));
  assert.ok(scenario);
  const guestPaths = scenario.initial_state.filter((e) => e.path.startsWith('guest1/')).map((e) => e.path.slice('guest1'.length));

  for (const step of scenario.steps) {
    it(`reproduces which paths upstream reported as excluded in step "${step.name}"`, () => {
      const listName = step.argv.at(-1)!.replace('${ROOT}/', '');
      const file = scenario.tree.find((e) => e.path === listName);
      // QUIRK Q08: a missing list file is an empty list.
      const rules = file?.content_b64 ? parseExcludeList(Buffer.from(file.content_b64, 'base64'), listName) : [];
      const l = createMatchList(rules);
      const isIncluded = (path: string) => l.decide(Buffer.from(path)).verdict === 'include';
      const ancestorsIncluded = (path: string) =>
        path.split('/').slice(1, -1).every((_, i, parts) => isIncluded(`/${parts.slice(0, i + 1).join('/')}`));

      const stdout = step.output['2']!.stdout;
      const reported = [...stdout.matchAll(/^ {2}skipping '(.*)' \(excluded\)$/gm)].map((m) => m[1]!).sort();
      const unified = [...stdout.matchAll(/^unifying {3}'(.*)'$/gm)].map((m) => m[1]!);
      const predicted = guestPaths.filter((p) => ancestorsIncluded(p) && !isIncluded(p)).sort();
      assert.deepEqual(predicted, reported);
      for (const path of unified) assert.ok(isIncluded(path) && ancestorsIncluded(path), `${path} should be included`);
    });
  }
});
