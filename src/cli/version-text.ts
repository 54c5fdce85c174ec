// The `--version` text: upstream's layout, naming this reimplementation and what it replaces.
import { readFileSync } from 'node:fs';

/** The util-vserver release whose vhashify this program reproduces. */
export const upstreamRelease = '0.30.215';

/** The complete version text, every line ending in `\n`. */
export function formatVersion(): string {
  return [
    `vhashify ${readPackageVersion()} -- hashifies vservers and/or directories`,
    `This is a compatible reimplementation of vhashify from util-vserver ${upstreamRelease}`,
    '',
    'Copyright (C) 2026 the authors of the vhashify TypeScript package',
    'This program is free software; you may redistribute it under the terms of',
    'the GNU General Public License, version 2 or (at your option) any later',
    'version.  This program comes with absolutely no warranty.',
    '',
  ].join('\n');
}

// Read at run time so a release only has to bump package.json. The compiled module lives in
// dist/src/cli/, three levels below the package root.
function readPackageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as unknown;
  const version = (manifest as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('package.json has no version');
  return version;
}
