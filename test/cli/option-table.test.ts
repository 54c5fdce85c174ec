// The option table: upstream's options intact, ours unable to change what upstream's mean.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protectPolicies } from '../../src/cli/command-line.js';
import { optionTable } from '../../src/cli/option-table.js';

const upstreamNames = [
  'help', 'version', 'destination', 'insecure', 'sledgehammer', 'manually', 'refresh', 'ignore-mtime', 'dry-run', 'verbose',
];

function findMatches(prefix: string, names: readonly string[]): string[] {
  return names.filter((name) => name.startsWith(prefix));
}

describe('optionTable', () => {
  it("starts with upstream's ten options in upstream's order, the order glibc lists ambiguities in", () => {
    assert.deepEqual(optionTable.slice(0, upstreamNames.length).map((row) => row.name), upstreamNames);
  });

  it('marks exactly those ten as upstream', () => {
    assert.deepEqual(optionTable.filter((row) => row.upstream).map((row) => row.name), upstreamNames);
  });

  it('resolves every prefix of an upstream name to the same options with our rows as without them', () => {
    const allNames = optionTable.map((row) => row.name);
    for (const name of upstreamNames) {
      for (let length = 1; length <= name.length; length += 1) {
        const prefix = name.slice(0, length);
        assert.deepEqual(findMatches(prefix, allNames), findMatches(prefix, upstreamNames), `--${prefix}`);
      }
    }
  });

  it('lets none of our options begin with the first letter of an upstream name', () => {
    const upstreamInitials = new Set(upstreamNames.map((name) => name[0]));
    for (const row of optionTable.filter((candidate) => !candidate.upstream)) {
      assert.ok(!upstreamInitials.has(row.name[0]), `--${row.name} would change upstream's abbreviations`);
    }
  });

  it('keeps the abbreviation classes of spec 1.3', () => {
    const allNames = optionTable.map((row) => row.name);
    for (const ambiguous of ['v', 've', 'ver', 'd', 'i']) {
      assert.ok(findMatches(ambiguous, allNames).length > 1, `--${ambiguous} should be ambiguous`);
    }
    for (const unique of ['verb', 'vers', 'de', 'dr', 'in', 'ig', 'h', 'm', 'r', 's']) {
      assert.equal(findMatches(unique, allNames).length, 1, `--${unique} should be unambiguous`);
    }
  });

  it("has upstream's short options -n and -v and no two rows with one name or letter", () => {
    const shorts = optionTable.flatMap((row) => (row.short === undefined ? [] : [row.short]));
    assert.deepEqual(optionTable.filter((row) => row.upstream && row.short !== undefined).map((row) => row.short), ['n', 'v']);
    assert.equal(new Set(shorts).size, shorts.length);
    assert.equal(new Set(optionTable.map((row) => row.name)).size, optionTable.length);
  });

  it('spells every name as getopt can match it: no leading dash, no equals sign, no blank', () => {
    for (const row of optionTable) {
      assert.match(row.name, /^[a-z][a-z0-9-]*$/);
      if (row.short !== undefined) assert.match(row.short, /^[a-zA-Z0-9]$/);
    }
  });

  it('gives an argument, and a placeholder for it, exactly to the options that take a value', () => {
    for (const row of optionTable) {
      const takesValue = row.effect.kind === 'value' || row.effect.kind === 'list';
      assert.equal(row.argument, takesValue ? 'required' : 'none', row.name);
      assert.equal(row.valueName !== undefined, takesValue, row.name);
    }
  });

  it("lists only upstream's documented options in upstream's help block", () => {
    assert.deepEqual(
      optionTable.filter((row) => row.inUpstreamHelp).map((row) => row.name),
      ['manually', 'refresh', 'dry-run', 'verbose'],
    );
  });

  it('offers the protection policies as the choices of --protect', () => {
    const protect = optionTable.find((row) => row.name === 'protect');
    assert.ok(protect?.effect.kind === 'value');
    assert.deepEqual(protect.effect.choices, protectPolicies);
    assert.equal(protect.upstream, false);
  });

  it('maps --insecure to level 1 and --sledgehammer to level 2 of one setting (QUIRK Q02)', () => {
    const effects = optionTable.filter((row) => row.name === 'insecure' || row.name === 'sledgehammer').map((row) => row.effect);
    assert.deepEqual(effects, [
      { kind: 'assign', key: 'insecureLevel', value: 1 },
      { kind: 'assign', key: 'insecureLevel', value: 2 },
    ]);
  });
});
