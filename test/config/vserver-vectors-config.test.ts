// The config stage against the configurations of vserver.json: for every recorded run, what
// upstream's output shows about resolution, the hash dir string, the package-management switch
// and the vpkg outcome is what this stage finds. (Whole runs are replayed by the command tests.)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { findPackageConffiles } from '../../src/config/find-package-conffiles.js';
import { findHashDir } from '../../src/config/find-hash-dir.js';
import { findPkgmgmtSwitch } from '../../src/config/find-pkgmgmt-switch.js';
import { findInstallation } from '../../src/config/installation.js';
import { computeBaseDir, resolveGuest } from '../../src/config/resolve-guest.js';
import { vectorsDir } from '../support/paths.js';

interface Entry {
  path: string;
  type: string;
  content_b64?: string;
  target?: string;
}
interface Output {
  stdout: string;
  stderr: string;
}
interface Step {
  name: string;
  via: 'wrapper' | 'direct';
  argv: string[];
  cwd?: string;
  exit_code: number;
  output: Record<string, Output>;
  deliberate?: string;
}
interface Scenario {
  id: string;
  config: Entry[];
  tree: Entry[];
  steps: Step[];
}

const vectors = JSON.parse(readFileSync(join(vectorsDir, 'vserver.json'), 'utf8')) as { scenarios: Scenario[] };

// What vhashify was given: the name, the --destination, the cwd and INIT_CWD (spec 9.1 for the wrapper).
function computeInvocation(step: Step, expand: (s: string) => string): { name: string; destination?: string; cwd: string; env: Record<string, string> } {
  const args = step.argv.filter((a) => a !== '${V}').map(expand);
  const cwd = step.cwd === undefined ? '/' : expand(step.cwd);
  const destinationAt = args.indexOf('--destination');
  const destination = destinationAt < 0 ? undefined : args[destinationAt + 1];
  const withDestination = destination === undefined ? {} : { destination };
  if (step.via === 'direct') return { name: args.filter((a) => !a.startsWith('-'))[0]!, cwd, env: {}, ...withDestination };
  return { name: args[0]!.replace(/\/$/, ''), cwd: '/', env: { INIT_CWD: cwd }, ...withDestination };
}

function materialize(entries: Entry[], base: string, expand: (s: string) => string): void {
  for (const entry of entries) {
    const path = join(base, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    if (entry.type === 'dir' || entry.type === 'mount') mkdirSync(path, { recursive: true });
    else if (entry.type === 'file') writeFileSync(path, Buffer.from(entry.content_b64 ?? '', 'base64'));
    else if (entry.type === 'symlink') symlinkSync(expand(entry.target!), path);
    // FIFOs and the like do not matter to configuration.
  }
}

describe('config stage against vserver.json configurations', () => {
  for (const scenario of vectors.scenarios) {
    it(`finds what upstream found in ${scenario.id}`, async () => {
      const top = mkdtempSync(join(tmpdir(), 'vhashify-vsvec-'));
      try {
        const root = join(top, 'root');
        const confDir = join(top, 'conf');
        const expand = (s: string): string => s.replaceAll('${ROOT}', root).replaceAll('${CONFDIR}', confDir);
        mkdirSync(root);
        mkdirSync(confDir);
        materialize(scenario.tree, root, expand);
        materialize(scenario.config, confDir, expand);
        const varsFile = join(top, 'util-vserver-vars');
        writeFileSync(varsFile, `__CONFDIR='${confDir}'\n__DEFAULT_VSERVERDIR='${root}/vservers'\n__PKGLIBDEFAULTDIR='${top}/defaults'\n`);
        const inst = findInstallation({ UTIL_VSERVER_VARS: varsFile });
        assert.ok(!('error' in inst));
        for (const step of scenario.steps) {
          if (step.exit_code === 5) continue; // the wrapper's own refusal: vhashify never ran
          const label = `${scenario.id} / ${step.name}`;
          const call = computeInvocation(step, expand);
          const v1 = step.output['1']!;
          const v4 = step.output['4']!;
          const resolution = resolveGuest(inst, call.name, { cwd: call.cwd, env: call.env });
          const failedUpstream = v1.stderr.startsWith('Failed to initialize unification for vserver\n');
          if (failedUpstream && step.deliberate === undefined) {
            assert.equal(resolution.ok, false, label);
            continue;
          }
          if (failedUpstream && /mkdir/.test(step.deliberate ?? '')) {
            assert.equal(resolution.ok ? 'ok' : resolution.failure.kind, 'no-appdir', label);
            continue;
          }
          assert.ok(resolution.ok, label);
          const { guest } = resolution;
          const initializing = /^Initializing exclude-list for (.*) \((.*)\)\n/.exec(v1.stdout);
          if (initializing !== null) {
            assert.equal(guest.vdir.toString(), expand(initializing[1]!), label);
            assert.equal(guest.name.toString(), expand(initializing[2]!), label);
          }
          const pkgmgmt = findPkgmgmtSwitch(inst, guest);
          assert.equal(pkgmgmt.enabled, step.output['2']!.stdout.includes('  Fetching configuration-file list from packagemanagement\n'), label);
          if (pkgmgmt.enabled) {
            const conffiles = await findPackageConffiles(guest);
            if (v1.stderr.includes('Can not determine packagemanagement style\n')) {
              assert.deepEqual(conffiles, { ok: false, message: Buffer.from('Can not determine packagemanagement style\n') }, label);
            } else {
              // Deliberate (Q14): the stopped Debian guest's dpkg database is read instead of failing.
              assert.equal(conffiles.ok, true, label);
            }
            if (!conffiles.ok) continue;
          }
          const hashDir = findHashDir(inst, guest, call.destination, computeBaseDir({ cwd: call.cwd, env: call.env }));
          if (v1.stderr.includes('no hash-directory configured for this vserver.\n')) {
            assert.equal(hashDir, undefined, label);
            continue;
          }
          assert.ok(hashDir !== undefined, label);
          for (const match of v4.stdout.matchAll(/ \(to '([^']*)'\)/g)) {
            const to = expand(match[1]!);
            assert.ok(to.startsWith(`${hashDir.printed.toString()}/`), `${label}: ${to} is not below ${hashDir.printed.toString()}`);
          }
        }
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    });
  }
});
