import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShellVars } from '../../src/config/parse-shell-vars.js';

function vars(text: string | Buffer): Record<string, string> {
  const { vars: map } = parseShellVars(typeof text === 'string' ? Buffer.from(text) : text);
  return Object.fromEntries([...map].map(([k, v]) => [k, v.toString('latin1')]));
}

describe('parseShellVars', () => {
  it('reads single-quoted values literally, with spaces, $, # and ; kept', () => {
    assert.deepEqual(vars("A='/etc/vservers'\nB='a $A b'\nC='x#y;z'\nD='true'\n"), {
      A: '/etc/vservers',
      B: 'a $A b',
      C: 'x#y;z',
      D: 'true',
    });
  });

  it('expands $NAME and ${NAME} inside double quotes from earlier assignments', () => {
    const text = "__PKGDATADIR='/usr/share/util-vserver'\n__PKGLIBDEFAULTDIR=\"$__PKGDATADIR/defaults\"\nX=\"${__PKGDATADIR}x\"\n";
    assert.deepEqual(vars(text), {
      __PKGDATADIR: '/usr/share/util-vserver',
      __PKGLIBDEFAULTDIR: '/usr/share/util-vserver/defaults',
      X: '/usr/share/util-vserverx',
    });
  });

  it('keeps values with spaces whole and expands references to them', () => {
    assert.deepEqual(vars('_MKTEMP="/bin/mktemp -t"\n_MKTEMPDIR="$_MKTEMP -d"\n_VNS="/usr/sbin/vspace --mount --fs"\n'), {
      _MKTEMP: '/bin/mktemp -t',
      _MKTEMPDIR: '/bin/mktemp -t -d',
      _VNS: '/usr/sbin/vspace --mount --fs',
    });
  });

  it('reads bare words, with expansion, and stops them at blanks and comments', () => {
    assert.deepEqual(vars('A=word\nB=$A/x # comment\nC=:\nD=a#b\nE=\n'), { A: 'word', B: 'word/x', C: ':', D: 'a#b', E: '' });
  });

  it('skips comment lines and blank lines, and counts lines for problems', () => {
    const result = parseShellVars(Buffer.from('# $Id$   --*- sh -*--\n\n   # indented comment\nA=1\n\nB="$NOPE"\n'));
    assert.deepEqual([...result.vars.keys()], ['A', 'B']);
    assert.deepEqual(result.problems, [{ line: 6, message: '$NOPE is not assigned before this line; it expands to nothing' }]);
  });

  it('expands a name assigned later in the file to nothing, as bash would, and says so', () => {
    const result = parseShellVars(Buffer.from('A="$B/x"\nB=/y\n'));
    assert.equal(result.vars.get('A')?.toString(), '/x');
    assert.equal(result.problems.length, 1);
  });

  it('handles backslashes as bash does inside and outside double quotes', () => {
    assert.deepEqual(vars('A="C:\\path \\$HOME \\"q\\" \\\\"\nB=a\\ b\nC=\'\\n\'\n'), {
      A: 'C:\\path $HOME "q" \\',
      B: 'a b',
      C: '\\n',
    });
  });

  it('concatenates quoted and unquoted parts of one word', () => {
    assert.deepEqual(vars(`A='it'"'"'s'\nB=pre"$A"'$A'\n`), { A: "it's", B: "preit's$A" });
  });

  it('keeps a $ that starts no reference', () => {
    assert.deepEqual(vars('A="cost: 5$"\nB=$/x\n'), { A: 'cost: 5$', B: '$/x' });
  });

  it('applies several assignments on one line left to right', () => {
    assert.deepEqual(vars('A=1 B="$A"2; C=3\n'), { A: '1', B: '12', C: '3' });
  });

  it('ignores commands and assignments that only prefix a command', () => {
    const result = parseShellVars(Buffer.from('A=1\nexport A\nB=2 some-command\nif true; then C=3; fi\n'));
    assert.deepEqual(Object.fromEntries([...result.vars].map(([k, v]) => [k, v.toString()])), { A: '1' });
    assert.deepEqual(result.problems.map((p) => p.line), [2, 3, 4]);
  });

  it('refuses command substitution and parameter operators, keeping the earlier value', () => {
    const result = parseShellVars(Buffer.from('A=old\nA="$(id -u)"\nB=`date`\nC="${A:-x}"\n'));
    assert.deepEqual(Object.fromEntries([...result.vars].map(([k, v]) => [k, v.toString()])), { A: 'old' });
    assert.deepEqual(result.problems.map((p) => p.line), [2, 3, 4]);
  });

  it('reports an unterminated quote instead of swallowing the rest of the file', () => {
    const result = parseShellVars(Buffer.from("A='open\n"));
    assert.equal(result.vars.size, 0);
    assert.match(result.problems[0]!.message, /unterminated single quote/);
  });

  it('keeps bytes that are not UTF-8 exactly', () => {
    const data = Buffer.concat([Buffer.from("__CONFDIR='/etc/v"), Buffer.from([0xff, 0xfe]), Buffer.from("'\nX=\"$__CONFDIR/y\"\n")]);
    const result = parseShellVars(data);
    assert.deepEqual(result.vars.get('__CONFDIR'), Buffer.concat([Buffer.from('/etc/v'), Buffer.from([0xff, 0xfe])]));
    assert.deepEqual(result.vars.get('X'), Buffer.concat([Buffer.from('/etc/v'), Buffer.from([0xff, 0xfe]), Buffer.from('/y')]));
  });

  it('lets a double-quoted value span lines and joins backslash-newline', () => {
    const result = parseShellVars(Buffer.from('A="one\ntwo"\nB="x\\\ny"\nC=3 # line 5\n'));
    assert.equal(result.vars.get('A')?.toString(), 'one\ntwo');
    assert.equal(result.vars.get('B')?.toString(), 'xy');
    assert.equal(result.vars.get('C')?.toString(), '3');
  });
});
