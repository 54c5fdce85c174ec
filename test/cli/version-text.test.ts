// The version text: upstream's layout, our version read from package.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatVersion, upstreamRelease } from '../../src/cli/version-text.js';
import { repoRoot } from '../support/paths.js';

function readManifestVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('formatVersion', () => {
  it('prints exactly this text, with the version from package.json', () => {
    assert.equal(formatVersion(), [
      `vhashify ${readManifestVersion()} -- hashifies vservers and/or directories`,
      'This is a compatible reimplementation of vhashify from util-vserver 0.30.215',
      '',
      'Copyright (C) 2026 the authors of the vhashify TypeScript package',
      'This program is free software; you may redistribute it under the terms of',
      'the GNU General Public License, version 2 or (at your option) any later',
      'version.  This program comes with absolutely no warranty.',
      '',
    ].join('\n'));
  });

  it("keeps upstream's first line apart from the version number", () => {
    const [first] = formatVersion().split('\n');
    assert.match(first ?? '', /^vhashify \d+\.\d+\.\d+\S* -- hashifies vservers and\/or directories$/);
    assert.notEqual(readManifestVersion(), upstreamRelease);
  });

  it('names the util-vserver release it reproduces', () => {
    assert.equal(upstreamRelease, '0.30.215');
    assert.ok(formatVersion().includes(`util-vserver ${upstreamRelease}\n`));
  });
});
