// The manual pages: they document what the code has (options, skip reasons, environment) and are
// well-formed, so the manual cannot drift from --help the way zx's did.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { optionTable } from '../../src/cli/option-table.js';
import type { SkipReason } from '../../src/report/events.js';
import { repoRoot } from '../support/paths.js';
import { findExampleBlocks, findTags, formatPlainText, readRoffPage, readSection } from './roff-page.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const vhashify = readRoffPage('vhashify.8');
const vunifyExclude = readRoffPage('vunify-exclude.5');
const vhashifyStore = readRoffPage('vhashify-store.5');
const manDir = join(repoRoot, 'man');

// Compile-time completeness: adding a reason to SkipReason without listing it here is a type error.
const skipReasonsKnownHere: Record<SkipReason, true> = {
  dotfile: true, excluded: true, 'too small': true, 'operation not supported': true, 'fstat error': true,
  symlink: true, 'already unified': true, 'non regular file': true, 'no matching device': true, 'general error': true,
  'extended attributes': true,
};

// Run-time completeness: the reasons as the source spells them, read from the union type itself.
function readSkipReasonsFromSource(): string[] {
  const source = readFileSync(join(repoRoot, 'src', 'report', 'events.ts'), 'utf8');
  const union = /export type SkipReason =([^;]*);/.exec(source)?.[1];
  assert.ok(union, 'src/report/events.ts no longer declares SkipReason as a union');
  return [...union.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
}

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && (entry.name.endsWith('.ts') || dir.endsWith('bin')))
    .map((entry) => join(entry.parentPath, entry.name));
}

// Every environment variable the product reads by name: `env.NAME`, `env['NAME']`, `process.env.NAME`.
function findEnvironmentReads(): string[] {
  const names = new Set<string>();
  for (const file of [...listSourceFiles(join(repoRoot, 'src')), ...listSourceFiles(join(repoRoot, 'bin'))]) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g)) {
      names.add(match[1] ?? match[2]!);
    }
  }
  return [...names].sort();
}

// `\-\-name` in a tag line, not followed by more of a longer name.
function hasRoffOption(line: string, name: string): boolean {
  const roff = `\\-\\-${name.replace(/-/g, '\\-')}`;
  const at = line.indexOf(roff);
  return at >= 0 && !/^[a-z\\]/.test(line.slice(at + roff.length));
}

describe('vhashify(8)', () => {
  const optionTags = findTags(readSection(vhashify, 'OPTIONS'));

  it('has the sections a reader looks for, in this order', () => {
    assert.deepEqual([...vhashify.sections.keys()], [
      'NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'PROTECTION', 'OUTPUT', 'EXIT STATUS', 'FILES', 'ENVIRONMENT',
      'GUARANTEES', 'NOTES', 'COMPATIBILITY', 'BUGS', 'EXAMPLES', 'SEE ALSO',
    ]);
  });

  it('documents every row of the option table under OPTIONS, with its short form and argument', () => {
    for (const row of optionTable) {
      const tag = optionTags.find((line) => hasRoffOption(line, row.name));
      assert.ok(tag, `no .TP entry for --${row.name}`);
      if (row.short !== undefined) assert.ok(tag.includes(`\\-${row.short}`), `--${row.name} lacks -${row.short}`);
      if (row.argument === 'required') assert.ok(tag.includes(` ${row.valueName ?? ''}"`), `--${row.name} lacks <${row.valueName}>`);
    }
  });

  it('documents no option that the table does not have', () => {
    const names = new Set(optionTable.map((row) => row.name));
    for (const tag of optionTags) {
      const name = /\\-\\-([a-z\\-]+)/.exec(tag)?.[1]?.replace(/\\-/g, '-');
      assert.ok(name !== undefined && names.has(name), `OPTIONS documents ${tag}, which the option table lacks`);
    }
  });

  it('shows the manual-mode synopsis that works, with --destination (QUIRK Q01)', () => {
    const synopsis = readSection(vhashify, 'SYNOPSIS').join('\n');
    assert.match(synopsis, /\.B \\-\\-manually\n\.BI \\-\\-destination " hashdir"\n/);
    assert.match(synopsis, /\.I path excludelist\n/);
  });

  it('explains every skip reason the code can print, as a tag under OUTPUT', () => {
    const reasons = readSkipReasonsFromSource();
    assert.deepEqual([...reasons].sort(), Object.keys(skipReasonsKnownHere).sort());
    const tags = findTags(readSection(vhashify, 'OUTPUT')).map(formatPlainText);
    for (const reason of reasons) assert.ok(tags.includes(`.B ${reason}`), `OUTPUT lacks the reason '${reason}'`);
  });

  it('documents every environment variable read in src/ or bin/ under ENVIRONMENT', () => {
    const read = findEnvironmentReads();
    // The scan itself must work: these three are read today.
    for (const known of ['VHASHIFY_ARGV0', 'VHASHIFY_CACHE_DIR', 'VHASHIFY_HINTS']) assert.ok(read.includes(known), known);
    const tags = findTags(readSection(vhashify, 'ENVIRONMENT'));
    for (const name of read) assert.ok(tags.includes(`.B ${name}`), `ENVIRONMENT lacks ${name}`);
  });

  it('names every deliberate difference from upstream by its quirk number', () => {
    const compatibility = readSection(vhashify, 'COMPATIBILITY').join('\n');
    for (const quirk of ['Q01', 'Q04', 'Q05', 'Q08', 'Q14', 'Q20', 'Q22', 'Q25', 'Q26', 'Q28', 'Q29', 'Q30', 'Q34']) {
      assert.ok(compatibility.includes(`QUIRK ${quirk}`), quirk);
    }
    const bugs = readSection(vhashify, 'BUGS').join('\n');
    assert.ok(bugs.includes('QUIRK Q23'), 'the one architecture');
    assert.doesNotMatch(bugs, /not implemented yet/);
  });

  it('says where the protect file is: in the hash directory beside method, in both modes', () => {
    const protection = formatPlainText(readSection(vhashify, 'PROTECTION').join(' '));
    assert.match(protection, /the file\s+\.I protect\s+in the hash directory, beside\s+\.I method\s+\(in both modes/);
  });
});

describe('vunify-exclude(5)', () => {
  it('prints the default list exactly as compat/vunify-exclude holds it', () => {
    const shipped = readFileSync(join(repoRoot, 'compat', 'vunify-exclude'), 'utf8').split('\n').slice(0, -1);
    const blocks = findExampleBlocks(readSection(vunifyExclude, 'DEFAULT LIST'));
    assert.equal(blocks.length, 1);
    assert.deepEqual(blocks[0]!.map(formatPlainText), shipped);
  });

  it('names the exclude-list quirks Q08 to Q13', () => {
    const text = vunifyExclude.lines.join('\n');
    for (const quirk of ['Q08', 'Q09', 'Q10', 'Q11', 'Q12', 'Q13']) assert.ok(text.includes(`QUIRK ${quirk}`), quirk);
  });
});

describe('vhashify-store(5)', () => {
  it('has the sections a reader of the store looks for, in this order', () => {
    assert.deepEqual([...vhashifyStore.sections.keys()], [
      'NAME', 'SYNOPSIS', 'DESCRIPTION', 'CONFIGURATION FILES', 'STORAGE ROOTS', 'ENTRIES', 'THE CACHE',
      "DUPLICATE HASH-DIR ENTRY '00' FOUND", 'MAINTENANCE', 'FILES', 'SEE ALSO',
    ]);
  });

  it('describes every configuration file of the hash dir as a tag', () => {
    const tags = findTags(readSection(vhashifyStore, 'CONFIGURATION FILES')).map(formatPlainText);
    assert.deepEqual(tags, ['.I method', '.I blocks', '.I blocksize', '.I protect']);
  });

  it('names the cache files with the suffixes the code writes', () => {
    const index = readFileSync(join(repoRoot, 'src', 'store', 'inode-index.ts'), 'utf8');
    const journal = readFileSync(join(repoRoot, 'src', 'store', 'protection-journal.ts'), 'utf8');
    const tags = findTags(readSection(vhashifyStore, 'THE CACHE')).map(formatPlainText);
    for (const [source, suffix] of [[index, '.idx2'], [journal, '.unprotected']] as const) {
      assert.ok(source.includes(`}${suffix}\``), `the code no longer writes ${suffix}`);
      assert.ok(tags.includes(`.IB dev - ino - btime ${suffix}`), `THE CACHE lacks ${suffix}`);
    }
  });
});

describe('the manual pages as a set', () => {
  it('are all listed in package.json, which lists nothing else', () => {
    const listed = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { man: string[] }).man;
    const present = readdirSync(manDir).filter((name) => /\.[1-8]$/.test(name)).map((name) => `./man/${name}`);
    assert.deepEqual([...listed].sort(), present.sort());
  });

  it('point only to pages of this package that exist', () => {
    const own = new Set(['vhashify', 'vunify-exclude', 'vhashify-store']);
    for (const page of [vhashify, vunifyExclude, vhashifyStore]) {
      for (const line of page.lines) {
        for (const match of line.matchAll(/^\.BR? (\S+) \((\d)\)/g)) {
          const name = match[1]!.replace(/\\-/g, '-');
          if (own.has(name)) assert.ok(readdirSync(manDir).includes(`${name}.${match[2]}`), `${page.file}: ${line}`);
        }
      }
    }
  });
});

/** Runs a man-page tool, or says why it cannot (CI installs both: a missing one fails there). */
function runTool(t: { skip(message: string): void }, tool: string, args: string[]): SpawnSyncReturns<string> | undefined {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error === undefined) return result;
  if (process.env['CI'] !== undefined) assert.fail(`${tool} is not installed (.ci/run installs it)`);
  t.skip(`${tool} is not installed`);
  return undefined;
}

describe('every manual page', () => {
  const pages = [
    { page: vhashify, name: 'VHASHIFY', section: '8', manual: 'System Administration', seeAlso: '.BR vunify\\-exclude (5),' },
    { page: vunifyExclude, name: 'VUNIFY-EXCLUDE', section: '5', manual: 'File Formats', seeAlso: '.BR vhashify (8),' },
    { page: vhashifyStore, name: 'VHASHIFY-STORE', section: '5', manual: 'File Formats', seeAlso: '.BR vhashify (8),' },
  ];

  for (const { page, name, section, manual, seeAlso } of pages) {
    it(`${name}(${section}) has one correct .TH line before any section`, () => {
      assert.equal(page.thLines.length, 1);
      const [thName, thSection, date, source, title] = page.thLines[0]!;
      assert.equal(thName, name);
      assert.equal(thSection, section);
      assert.match(date ?? '', /^\d{4}-\d{2}-\d{2}$/);
      const parsed = new Date(`${date}T00:00:00Z`);
      assert.equal(parsed.toISOString().slice(0, 10), date, 'not a calendar date');
      assert.ok(parsed.getTime() <= Date.now(), 'dated in the future');
      assert.equal(source, `vhashify ${version}`);
      assert.equal(title, manual);
      const firstRequest = page.lines.find((line) => line.startsWith('.') && !line.startsWith('.\\"'));
      assert.ok(firstRequest?.startsWith('.TH '));
    });

    it(`${name}(${section}) points to its companion page`, () => {
      assert.ok(readSection(page, 'SEE ALSO').includes(seeAlso));
    });

    it(`${name}(${section}) renders with no warning from groff -man -ww -z`, (t) => {
      const result = runTool(t, 'groff', ['-man', '-ww', '-z', page.file]);
      if (result === undefined) return;
      assert.equal(result.stderr, '');
      assert.equal(result.status, 0);
    });

    it(`${name}(${section}) passes mandoc -T lint (style messages too, except for long source lines)`, (t) => {
      const result = runTool(t, 'mandoc', ['-T', 'lint', '-W', 'style', page.file]);
      if (result === undefined) return;
      // One sentence per source line is the roff convention; mandoc's 80-byte style limit is not ours.
      const messages = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line !== '' && !line.includes('input text line longer than 80 bytes'));
      assert.deepEqual(messages, []);
    });

    it(`${name}(${section}) renders without groff warnings (when man is installed)`, (t) => {
      const probe = spawnSync('man', ['--version'], { encoding: 'utf8' });
      if (probe.error !== undefined) return t.skip('man is not installed');
      const result = spawnSync('man', ['--warnings', '-l', page.file], {
        encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' },
      });
      assert.equal(result.status, 0);
      assert.equal(result.stderr, '');
      assert.ok(result.stdout.includes(`${name}(${section})`));
    });
  }
});
