// Checks the vserver.json harness itself, before the product is involved: sandbox installations, the wrapper stand-in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compareExitCode, compareListing, compareText } from '../support/replay-compare.js';
import { findMountPointsBelow } from '../support/tree-mounts.js';
import { findMisorderedDirectories } from '../support/tree-order.js';
import { createClockWindow } from '../support/tree-state.js';
import { normalizePlaceholdersInOutput, verbosityLevels } from '../support/tree-vectors.js';
import { runVserverStep } from '../support/vserver-runner.js';
import { createVserverSandbox, destroyVserverSandbox, type VserverSandbox } from '../support/vserver-sandbox.js';
import { createVserverLabels, readVserverConfig, readVserverState } from '../support/vserver-state.js';
import { readVserverVectors, type VserverScenario } from '../support/vserver-vectors.js';

const vectors = readVserverVectors();
const nameForms = vectors.scenarios.find((scenario) => scenario.id === 'vs07-name-forms')!;

// Stands in for vhashify where a check must not depend on the product: reports what it was given, as JSON.
const reportingVhashify = `#!/bin/sh
exec '${process.execPath}' -e 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), cwd: process.cwd(), env: process.env }))' -- "$@"
`;
const refusingVhashify = '#!/bin/sh\necho "vhashify must not run for this step" >&2\nexit 99\n';

async function withSandbox(scenario: VserverScenario, vhashifyScript: string | undefined, check: (sandbox: VserverSandbox) => Promise<void> | void) {
  const sandbox = createVserverSandbox(scenario, vectors.packaged_defaults, vhashifyScript === undefined ? {} : { vhashifyScript });
  try {
    await check(sandbox);
  } finally {
    destroyVserverSandbox(sandbox.base);
  }
}

describe('vserver.json sandbox installations', () => {
  for (const scenario of vectors.scenarios) {
    test(`${scenario.id} materialises to exactly its initial_state and initial_config, both in ascending readdir order`, async () => {
      const clock = createClockWindow();
      await withSandbox(scenario, undefined, ({ root, confDir, placeholders }) => {
        const labels = createVserverLabels(root, confDir);
        const failures = [
          ...compareListing('${ROOT} differs from initial_state', scenario.initial_state, readVserverState(root, labels, clock, placeholders)),
          ...compareListing('${CONFDIR} differs from initial_config', scenario.initial_config, readVserverConfig(confDir, labels, clock, placeholders)),
        ];
        if (failures.length > 0) assert.fail(failures.join('\n'));
        assert.deepEqual([...findMisorderedDirectories(root), ...findMisorderedDirectories(confDir)], []);
      });
    });
  }

  test('util-vserver-vars, read by bash, names the sandbox directories, the launcher and the packaged exclude list', async () => {
    await withSandbox(nameForms, undefined, ({ root, confDir, defaultsDir, env }) => {
      const names = ['__CONFDIR', '__PKGLIBDEFAULTDIR', '__DEFAULT_VSERVERDIR', '_VHASHIFY', '_VPKG'];
      const script = `. "$UTIL_VSERVER_VARS" && printf '%s\\n' ${names.map((name) => `"$${name}"`).join(' ')}`;
      // stdin /dev/null as in every run: on a socket (node's pipes) bash would take itself for a remote shell and read ~/.bashrc.
      const result = spawnSync('/bin/bash', ['-c', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(result.stderr, '');
      const [conf, defaults, vservers, vhashify, vpkg] = result.stdout.trimEnd().split('\n');
      const libexec = join(env['UTIL_VSERVER_VARS']!, '..');
      assert.deepEqual([conf, defaults, vservers, vhashify, vpkg],
        [confDir.toString(), defaultsDir.toString(), `${root.toString()}/vservers`, join(libexec, 'vhashify'), join(libexec, 'vpkg')]);
      const exclude = readFileSync(join(defaults!, 'vunify-exclude'));
      assert.equal(createHash('sha256').update(exclude).digest('hex'), vectors.packaged_defaults[0]!.sha256);
    });
  });

  test('the launcher runs the product in the fixed environment: `$_VHASHIFY --version` prints its version', async () => {
    await withSandbox(nameForms, undefined, ({ env }) => {
      const launcher = join(env['UTIL_VSERVER_VARS']!, '..', 'vhashify');
      const result = spawnSync(launcher, ['--version'], { env: { PATH: env['PATH']! }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^vhashify /);
    });
  });

  test('is removed completely, mounts included', async () => {
    const sandbox = createVserverSandbox(nameForms, vectors.packaged_defaults);
    destroyVserverSandbox(sandbox.base);
    assert.equal(existsSync(sandbox.base), false);
    assert.deepEqual(findMountPointsBelow(sandbox.base), []);
  });
});

describe('the vserver wrapper stand-in', () => {
  const unknown = nameForms.steps.find((step) => step.name === 'wrapper, unknown name')!;

  for (const level of verbosityLevels) {
    test(`gives the recorded exit-5 text for an unknown guest at verbosity ${level} without running vhashify`, async () => {
      await withSandbox(nameForms, refusingVhashify, async (sandbox) => {
        const run = await runVserverStep(sandbox, unknown, level, 'separate');
        assert.ok(!('combined' in run));
        const expected = unknown.output[String(level)]!;
        const normalize = (output: Buffer) => normalizePlaceholdersInOutput(output, sandbox.placeholders);
        const failures = [
          ...compareExitCode(unknown.exit_code, run.exitCode),
          ...compareText('stdout', expected.stdout, normalize(run.stdout)),
          ...compareText('stderr', expected.stderr, normalize(run.stderr)),
        ];
        if (failures.length > 0) assert.fail(`${run.shown}\n${failures.join('\n')}`);
      });
    });
  }

  test('hands over as spec 9.1 says: options after `hashify` and --protect none before the name, cwd /, INIT_CWD set', async () => {
    await withSandbox(nameForms, reportingVhashify, async (sandbox) => {
      const step = { ...nameForms.steps.find((candidate) => candidate.name === 'wrapper, g2/ (one slash stripped by the wrapper)')!, cwd: '${CONFDIR}' };
      const run = await runVserverStep(sandbox, step, 2, 'separate');
      assert.ok(!('combined' in run));
      assert.equal(run.stderr.toString(), '');
      const report = JSON.parse(run.stdout.toString()) as { argv: string[]; cwd: string; env: Record<string, string> };
      assert.deepEqual(report.argv, ['--protect', 'none', '-vv', 'g2']);
      assert.equal(report.cwd, '/');
      assert.equal(report.env['INIT_CWD'], sandbox.confDir.toString());
      assert.equal(report.env['UTIL_VSERVER_VARS'], sandbox.env['UTIL_VSERVER_VARS']);
      assert.equal(report.env['LC_ALL'], 'C');
      assert.equal(report.env['PATH'], '/usr/sbin:/usr/bin:/sbin:/bin');
    });
  });

  test('passes `./g1` on as typed (QUIRK Q30), once it found the guest below the working directory', async () => {
    await withSandbox(nameForms, reportingVhashify, async (sandbox) => {
      const step = nameForms.steps.find((candidate) => candidate.name === 'wrapper, ./g1 from cwd CONFDIR')!;
      const run = await runVserverStep(sandbox, step, 0, 'separate');
      assert.ok(!('combined' in run));
      assert.deepEqual((JSON.parse(run.stdout.toString()) as { argv: string[] }).argv, ['--protect', 'none', './g1']);
    });
  });
});
