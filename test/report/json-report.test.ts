import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatJsonReport, JSON_REPORT_VERSION } from '../../src/report/json-report.js';
import { FiguresCollector } from '../../src/report/run-figures.js';
import { validateJsonSchema } from '../support/json-schema-check.js';
import { repoRoot } from '../support/paths.js';
import { fakeFile, linkedEvent, skipEvent, unifyingEvent } from './report-fixture.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'man', 'vhashify-json.schema.json'), 'utf8')) as Record<string, never>;

function sampleFigures() {
  const c = new FiguresCollector();
  c.observe(skipEvent('etc', 'excluded'));
  c.observe(skipEvent('x', 'too small', fakeFile(1n)));
  c.observe(unifyingEvent('a', fakeFile(2n), 'E'));
  c.observe(linkedEvent('a', fakeFile(2n), fakeFile(3n, 2n), true));
  return c.read();
}

describe('formatJsonReport', () => {
  it('prints one JSON document, of the kind `run`, that validates against the shipped schema', () => {
    const text = formatJsonReport({
      mode: 'all', dryRun: false, exitCode: 1, elapsedNs: 1_234_567_890n, figures: sampleFigures(),
      guests: [
        { name: Buffer.from('g1'), root: Buffer.from('/vservers/g1'), exitCode: 0, elapsedNs: 5n, figures: sampleFigures() },
        { name: Buffer.from('g2'), exitCode: 1, elapsedNs: 5n },
      ],
    });
    assert.ok(text.endsWith('}\n'));
    const document = JSON.parse(text) as Record<string, unknown>;
    assert.equal(document['report'], 'run');
    assert.deepEqual(validateJsonSchema(schema, document), []);
    assert.equal(document['version'], JSON_REPORT_VERSION);
    assert.equal(document['elapsedSeconds'], 1.235);
    const guests = document['guests'] as Array<Record<string, unknown>>;
    assert.deepEqual(guests.map((g) => [g['name'], g['root'], g['status'], g['figures'] === null]), [
      ['g1', '/vservers/g1', 'done', false], ['g2', null, 'failed', true],
    ]);
  });

  it('gives a run that traversed nothing null totals, and still validates', () => {
    const document = JSON.parse(formatJsonReport({ mode: 'vserver', dryRun: true, exitCode: 1, elapsedNs: 0n, figures: undefined, guests: [] }));
    assert.equal(document.totals, null);
    assert.deepEqual(validateJsonSchema(schema, document), []);
  });

  it('keeps names that are not UTF-8 exactly, as the store modes do: { "hex": … }', () => {
    const name = Buffer.from([0x67, 0xff]);
    const document = JSON.parse(formatJsonReport({
      mode: 'manual', dryRun: false, exitCode: 0, elapsedNs: 0n, figures: undefined,
      guests: [{ root: name, exitCode: 0, elapsedNs: 0n }],
    }));
    assert.deepEqual(document.guests[0].root, { hex: '67ff' });
    assert.equal(document.guests[0].name, null);
    assert.deepEqual(validateJsonSchema(schema, document), []);
  });

  it('is caught by the schema when a field is missing, mistyped or unknown', () => {
    const document = JSON.parse(formatJsonReport({ mode: 'manual', dryRun: false, exitCode: 0, elapsedNs: 0n, figures: sampleFigures(), guests: [] }));
    delete document.totals.scanned;
    document.totals.eligible = -1;
    document.extra = true;
    const problems = validateJsonSchema(schema, document);
    assert.ok(problems.some((p) => p.includes("lacks 'scanned'")), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('-1 < 0')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes("'extra'")), problems.join('\n'));
  });
});
