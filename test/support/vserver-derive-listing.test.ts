// Checks the listing derivation by reproducing recorded vserver.json steps from the listing before them and their -vvvv output.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLineDiff } from './tree-diff.js';
import { formatStateLine } from './tree-state.js';
import { addHashConfigFiles, applyStoreLinks, findNextLabel, parseStoreLinks } from './vserver-derive-listing.js';
import { findListingsBefore, findListingsSoFar, readVserverVectors } from './vserver-vectors.js';

const scenarios = readVserverVectors().scenarios;

function assertSameListing(expected: readonly { path: string }[], actual: readonly { path: string }[], what: string): void {
  const [e, a] = [expected, actual].map((listing) => listing.map((entry) => formatStateLine(entry as never)));
  if (e.join('\n') !== a.join('\n')) assert.fail(`${what}\n${formatLineDiff(e, a)}`);
}

describe('applyStoreLinks', () => {
  // Copy mode only: a dry run changes nothing, --sledgehammer makes the guest's own inode the entry.
  const copyModeRuns = scenarios.flatMap((scenario) => scenario.steps
    .map((step, index) => ({ scenario, step, index }))
    .filter(({ step }) => step.deliberate === undefined && step.exit_code === 0 && !step.argv.includes('-n') && !step.argv.includes('--sledgehammer')));

  for (const { scenario, step, index } of copyModeRuns) {
    test(`reproduces ${scenario.id} step ${index + 1} "${step.name}" from the listing before it`, () => {
      const links = parseStoreLinks(step.output['4']!.stdout, scenario.config);
      const taken = findListingsSoFar(scenario, index).map((listings) => listings.state);
      assertSameListing(step.state_after, applyStoreLinks(findListingsBefore(scenario, index).state, links, findNextLabel(taken, 'i')), 'state_after');
    });
  }

  test('covers every kind of copy-mode run: new and existing entries, --ignore-mtime, a second filesystem', () => {
    assert.equal(copyModeRuns.length, 17);
  });
});

describe('parseStoreLinks', () => {
  test('resolves entry names through the storage-root symlink, also for a name with a doubled slash', () => {
    const scenario = scenarios.find((candidate) => candidate.id === 'vs07-name-forms')!;
    const links = parseStoreLinks(scenario.steps[1]!.output['4']!.stdout, scenario.config);
    assert.deepEqual(links[0], {
      guest: 'vservers/g2/bin/busybox',
      entry: 'vservers/.hash/9e/57/f12aa74878bc40518bf70b6bff39e8d450262a058454628f25eac0b17341-00000000',
    });
  });
});

describe('addHashConfigFiles', () => {
  const firstRuns = [
    ['vs01-documented-setup', 0, '.defaults/apps/vunify/hash'],
    ['vs07-name-forms', 0, 'g1/apps/vunify/hash'],
    ['vs07-name-forms', 1, 'g2/apps/vunify/hash'],
    ['vs09-two-filesystems', 0, '.defaults/apps/vunify/hash'],
  ] as const;

  for (const [id, index, hashDir] of firstRuns) {
    test(`reproduces the config_after of ${id} step ${index + 1}, which created method and blocks in ${hashDir}`, () => {
      const scenario = scenarios.find((candidate) => candidate.id === id)!;
      const taken = findListingsSoFar(scenario, index).map((listings) => listings.config);
      const derived = addHashConfigFiles(findListingsBefore(scenario, index).config, hashDir, findNextLabel(taken, 'c'));
      assertSameListing(scenario.steps[index]!.config_after, derived, 'config_after');
    });
  }
});
