// Following one path as the walk reaches it: decisions per component, links never followed.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMatchList } from '../../src/exclude/match-list.js';
import { parseExcludeList } from '../../src/exclude/parse-exclude-list.js';
import { openRootDir, releaseDir, type DirHandle } from '../../src/walk/dir-handle.js';
import { joinComponents, splitGuestPath, tracePath, type PathTrace } from '../../src/walk/trace-path.js';
import { walkTree } from '../../src/walk/walk-tree.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';

let base = '';
let root: DirHandle;
const list = createMatchList(parseExcludeList(Buffer.from('/var\n+/etc/keep\n/etc/*\n'), 'the list'));
const decide = (path: Buffer) => list.decide(path);

before(() => {
  base = createTmpfsDir('trace-path');
  mkdirSync(join(base, 'usr', 'bin'), { recursive: true });
  writeFileSync(join(base, 'usr', 'bin', 'ls'), 'a program of sixteen bytes or more\n');
  mkdirSync(join(base, 'var', 'www'), { recursive: true });
  writeFileSync(join(base, 'var', 'www', 'index.html'), 'x');
  mkdirSync(join(base, 'etc'));
  writeFileSync(join(base, 'etc', 'passwd'), 'root:x:0:0\n');
  writeFileSync(join(base, 'etc', 'keep'), 'kept\n');
  symlinkSync('/', join(base, 'escape'));
  symlinkSync('usr/bin', join(base, 'bin'));
  root = openRootDir(base);
});
after(() => {
  if (base === '') return;
  releaseDir(root);
  removeTmpfsDir(base);
});

function trace(path: string): PathTrace {
  const result = tracePath(root, Buffer.from(path), decide);
  if (result.end.kind === 'reached') releaseDir(result.end.dir);
  return result;
}

// Descriptors on the test's tmpfs that this process holds (only the root's).
function countOpenFds(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(base);
    } catch {
      return false;
    }
  }).length;
}

describe('tracePath', () => {
  it('reaches an included file through the directories the walk enters, each decided by the list', () => {
    const result = trace('/usr/bin/ls');
    assert.equal(result.end.kind, 'reached');
    assert.deepEqual(result.steps.map((s) => [s.path.toString(), s.decision.verdict, s.stat?.isDirectory()]), [
      ['/usr', 'include', true], ['/usr/bin', 'include', true], ['/usr/bin/ls', 'include', false],
    ]);
  });

  it('names the entry that excludes a path, with its file and line', () => {
    const result = trace('/etc/passwd');
    assert.equal(result.end.kind, 'excluded');
    const rule = result.end.kind === 'excluded' ? result.end.step.decision.rule : undefined;
    assert.deepEqual([rule?.source, rule?.line], ['the list', 3]);
    assert.equal(result.end.kind === 'excluded' && result.end.step.stat?.isFile(), true, 'it is looked at, not followed');
    const kept = trace('/etc/keep');
    assert.equal(kept.end.kind, 'reached');
    assert.equal(kept.steps[1]!.decision.rule?.line, 2);
  });

  it('stops at an excluded directory: nothing below it is reached', () => {
    const result = trace('/var/www/index.html');
    assert.equal(result.end.kind, 'excluded');
    assert.equal(result.steps.length, 1);
    assert.equal(result.end.kind === 'excluded' && result.end.step.path.toString(), '/var');
  });

  it('never follows a symbolic link, and reads where it points', () => {
    const result = trace('/escape/etc/passwd');
    assert.equal(result.end.kind, 'symlink');
    assert.equal(result.end.kind === 'symlink' && result.end.target?.toString(), '/');
    assert.equal(trace('/bin').end.kind, 'reached', 'the link itself is reached, as the walk reaches it');
  });

  it('tells a missing entry from a file used as a directory', () => {
    assert.equal(trace('/usr/bin/lss').end.kind, 'missing');
    assert.equal(trace('/nothing/here').end.kind, 'missing');
    assert.equal(trace('/usr/bin/ls/x').end.kind, 'not-directory');
  });

  it('spells the path as the walk does, and refuses . and .. components', () => {
    assert.equal(trace('usr//bin/').path.toString(), '/usr/bin');
    assert.equal(trace('/').end.kind, 'root');
    assert.equal(trace('').end.kind, 'root');
    assert.equal(trace('/usr/../etc/passwd').end.kind, 'dot-component');
    assert.deepEqual(splitGuestPath(Buffer.from('//a/b//')).map(String), ['a', 'b']);
    assert.equal(joinComponents([]).toString(), '/');
  });

  it('reaches each file with the same decision and path the walk gives it', () => {
    const walked = new Map<string, string>();
    for (const item of walkTree(root, Buffer.from('/'), decide)) {
      if (item.kind === 'entry') {
        walked.set(item.path.toString(), 'include');
        releaseDir(item.dir);
      } else if (item.kind === 'excluded') {
        walked.set(item.path.toString(), item.decision.verdict);
      }
    }
    for (const [path, verdict] of walked) {
      const result = trace(path);
      const last = result.steps[result.steps.length - 1]!;
      assert.equal(last.decision.verdict, verdict, path);
      assert.ok(['reached', 'excluded'].includes(result.end.kind), path);
    }
  });

  it('releases every directory it opened', () => {
    const before = countOpenFds();
    for (const path of ['/usr/bin/ls', '/var/www/x', '/escape/x', '/usr/bin/ls/x', '/etc/keep']) trace(path);
    assert.equal(countOpenFds(), before);
  });
});
