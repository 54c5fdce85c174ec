// The deliberate steps of vserver.json: what the product does instead of upstream, derived from recorded steps by the spec's rules.
//
// Every derivation takes the recorded output of a step that ran in the same situation (same tree apart from the
// names checked below, same exclude list, same store), edits it by a rule of the spec, and applies the links its
// -vvvv output announces to the listing before the step. The premises are checked when the override is built, so a
// change of the vectors shows up as an error here rather than as a wrong expectation. The lead checks these
// against the product; where a rule left a choice, the comment says which and why.
import type { StateEntry } from './tree-vectors.js';
import { computeSha256EntryName } from './store-entry-name.js';
import {
  deriveStdout, dropUnifyingLines, insertAfterInitializing, renameGuest, replaceAll, repeatOutput, type LevelOutputs,
} from './vserver-derive-output.js';
import { addHashConfigFiles, applyStoreLinks, findNextLabel, parseStoreLinks } from './vserver-derive-listing.js';
import { findEntryDifferences, findGuestDifferences, findTreeEntry } from './vserver-guest-trees.js';
import {
  findListingsBefore, findListingsSoFar, type ConfigEntry, type VserverScenario, type VserverStep, type VserverVectors,
} from './vserver-vectors.js';

/** Our expectation for a deliberate step: outputs at every level, exit status, and both listings after it. */
export interface VserverOverride {
  exitCode: number;
  output: LevelOutputs;
  stateAfter: StateEntry[];
  configAfter: ConfigEntry[];
}

/** Our expectation for step `index` of `scenario`, or undefined where the recording stands; throws for a deliberate step without one. */
export function findVserverOverride(vectors: VserverVectors, scenario: VserverScenario, index: number): VserverOverride | undefined {
  const step = scenario.steps[index]!;
  const derive = derivations.get(`${scenario.id}: ${step.name}`);
  if (derive === undefined && step.deliberate !== undefined) {
    throw new Error(`${scenario.id} step "${step.name}" is deliberate but vserver-overrides.ts has no expectation for it`);
  }
  if (derive !== undefined && step.deliberate === undefined) throw new Error(`${scenario.id} step "${step.name}" is not deliberate any more`);
  return derive?.({ vectors, scenario, index, step });
}

interface Situation {
  vectors: VserverVectors;
  scenario: VserverScenario;
  index: number;
  step: VserverStep;
}

// Spec 1.6 step 3 / 7.4: printed from -vv on, right after `Initializing …` (so before `  Reading exclude file` at -vvvvvv).
const fetchingLine = '  Fetching configuration-file list from packagemanagement';

// (a) QUIRK Q05, a guest without apps/vunify (vs04 g1, through the wrapper and directly). Product decision (issue 9
// item 2): upstream's line, then exactly one more naming the missing directory and the mkdir that fixes it, at every
// level, whether or not stderr is a terminal. <cfgdir> as upstream builds it: the name form `g1` (the wrapper passes it
// on unchanged) gives ${CONFDIR}/g1. The run stops where upstream's does, before anything is read or created: exit 1,
// nothing on stdout, both listings those before the step (the recording has the same).
function deriveMissingAppdir({ scenario, index, step }: Situation): VserverOverride {
  const name = step.via === 'wrapper' ? step.argv[0]!.replace(/\/$/, '') : step.argv[step.argv.length - 1]!;
  if (/^(\/|\.\.?\/)/.test(name)) throw new Error(`${name} is not the name form this derivation assumes`);
  const appdir = `\${CONFDIR}/${name}/apps/vunify`;
  const stderr = 'Failed to initialize unification for vserver\n'
    + `vhashify: '${appdir}' does not exist: hashify works only on guests that have it; create it with: mkdir -p ${appdir}\n`;
  return { exitCode: 1, output: repeatOutput({ stdout: '', stderr }), ...unchanged(scenario, index) };
}

// (b) QUIRK Q14, the package list of a stopped Debian guest (vs05 g1: pkgmgmt-force beats the .defaults ignore; vs06
// g1: no flag at all). Product decision (issue 9 item 4): no vpkg; the guest's var/lib/dpkg/info/*.conffiles are read
// instead. These guests have /etc/debian_version but no var/lib/dpkg at all (checked below), so the conffile list is
// empty and the run is the one `pkgmgmt-ignore` gives, plus the package-management line from -vv on. Exit 0, nothing
// on stderr. (Ambiguity: a Debian guest without a dpkg database could also be refused; issue 9 says "a Debian guest
// with no such files has an empty list", so it is not.)
//
// vs05 step 3 (g1) runs after g2 (step 1) and g3 (step 2) were hashified into the same store with the same packaged
// exclude list. g1's tree is g3's apart from /etc/hostname and /var/log/messages (both excluded) and g1-only for
// g3-only. Template: step 2's output at each level, g3 told as g1, g3-only's entry name replaced by g1-only's (spec 6,
// computed from the file). State: step 2's listing with the -vvvv links applied (six entries exist, g1-only's is new);
// config: unchanged, `method` and `blocks` exist since step 1.
function deriveStoppedDebianAfterSiblings(situation: Situation): VserverOverride {
  const { scenario } = situation;
  checkNoDpkgDatabase(scenario, 'g1');
  const template = findStep(scenario, 'g3: per-guest ignore beats per-guest force');
  expectDifferences(scenario, 'g3', scenario, 'g1', ['/etc/hostname', '/usr/bin/g1-only', '/usr/bin/g3-only', '/var/log/messages']);
  const names: [string, string] = [entryNameOf(scenario, 'g3', 'g3-only'), entryNameOf(scenario, 'g1', 'g1-only')];
  const output = deriveStdout(template.output, (stdout, level) => {
    const renamed = replaceAll(renameGuest(stdout, 'g3', 'g1'), [names]);
    return level >= 2 ? insertAfterInitializing(renamed, fetchingLine) : renamed;
  });
  return withLinksApplied(situation, output);
}

// vs06 step 2 (g1) runs on an untouched installation: step 1 (g2) failed before the hash dir was looked at. vs01 step 1
// recorded this very run with package management off: the same g1 tree, the packaged exclude list, the store
// `.defaults/apps/vunify/hash/root -> ${ROOT}/vservers/.hash`, empty. Template: vs01 step 1's output as it is, plus
// the package-management line. State: step 1's listing with the links applied (all seven entries new); config: step
// 1's plus `method` (sha256) and `blocks` (all) created in .defaults/apps/vunify/hash (spec 5.2), as in vs01 step 1.
function deriveStoppedDebianFirst(situation: Situation): VserverOverride {
  const { vectors, scenario, index } = situation;
  checkNoDpkgDatabase(scenario, 'g1');
  const documented = findScenario(vectors, 'vs01-documented-setup');
  const template = findStep(documented, 'vserver g1 hashify');
  expectDifferences(documented, 'g1', scenario, 'g1', []);
  expectConfigDifferences(documented, scenario, ['.defaults/apps/vunify/pkgmgmt-ignore']);
  const hashDir = '.defaults/apps/vunify/hash';
  const output = deriveStdout(template.output, (stdout, level) => (level >= 2 ? insertAfterInitializing(stdout, fetchingLine) : stdout));
  const { stateAfter, configAfter } = withLinksApplied(situation, output);
  const nextConfigLabel = findNextLabel(findListingsSoFar(scenario, index).map((listings) => listings.config), 'c');
  return { exitCode: 0, output, stateAfter, configAfter: addHashConfigFiles(configAfter, hashDir, nextConfigLabel) };
}

// (c) QUIRK Q30, `vserver ./g1 hashify` from the working directory ${CONFDIR} (vs07 step 3). Product decision (issue 9
// item 5): a `./name` is resolved against INIT_CWD, so cfgdir is ${CONFDIR}/./g1, which is g1, and its per-guest hash
// dir leads to the store that step 1 filled from g1: every eligible file is `already unified` (visible from -vvv on), no
// `(to …)` path is printed, nothing changes. The name in the Initializing line is `./g1`, the argument as vhashify got
// it (README, "Behaviour worth knowing"); printing the resolved ${CONFDIR}/./g1 there would be the other reading.
// Template: step 4, the same situation recorded for g2 (`vserver g2/ hashify` after step 2 unified g2 into the same
// store). g1's tree is g2's apart from hostname and messages (excluded), changelog (already unified in both) and
// g1-only for g2-only. Exit 0, nothing on stderr, listings those before the step (the recording has the same).
function deriveRelativeName({ scenario, index }: Situation): VserverOverride {
  const template = findStep(scenario, 'wrapper, g2/ (one slash stripped by the wrapper)');
  expectDifferences(scenario, 'g2', scenario, 'g1',
    ['/etc/hostname', '/usr/bin/g1-only', '/usr/bin/g2-only', '/usr/share/doc/tool/changelog', '/var/log/messages']);
  const output = deriveStdout(template.output, (stdout) => renameGuest(stdout, 'g2', 'g1', './g1'));
  return { exitCode: 0, output, ...unchanged(scenario, index) };
}

// (d) QUIRK Q04, `vserver g4 hashify --destination ${CONFDIR}/althash` (vs08 step 5). Product decision (spec 1.6
// recommendation, issue 9 item 3): the given directory is the hash dir. Upstream created `method` and `blocks` there
// before it aborted (the recorded config_after shows them); the product creates the same, then finds the storage
// root `store -> ${ROOT}/vservers/.hash-alt` (empty) and hashifies g4 into it.
// Template: step 1, g1's dry run on an empty store with the same packaged exclude list; g4's tree is g1's apart from
// hostname and messages (excluded) and g4-only for g1-only. Edits: a real run prints `unifying` lines only from -vv on,
// so they go at -v0/-v1; g1 told as g4; entries are named through the hash dir as given, `${CONFDIR}/althash/store/…`
// (spec 5.4), instead of the .defaults root; g1-only's entry name replaced by g4-only's (spec 6). Every counter stays 0:
// .hash-alt is empty and the seven files differ. Exit 0, nothing on stderr. State: step 4's listing plus seven new
// entries in .hash-alt; config: the recorded one.
function deriveDestination(situation: Situation): VserverOverride {
  const { scenario, step } = situation;
  const template = findStep(scenario, 'g1 hashify -n (dry run)');
  expectDifferences(scenario, 'g1', scenario, 'g4', ['/etc/hostname', '/usr/bin/g1-only', '/usr/bin/g4-only', '/var/log/messages']);
  const hashDir = step.argv[step.argv.indexOf('--destination') + 1];
  if (hashDir !== '${CONFDIR}/althash') throw new Error(`unexpected --destination ${hashDir}`);
  const pairs: [string, string][] = [
    ['${CONFDIR}/.defaults/apps/vunify/hash/root/', `${hashDir}/store/`],
    [entryNameOf(scenario, 'g1', 'g1-only'), entryNameOf(scenario, 'g4', 'g4-only')],
  ];
  const output = deriveStdout(template.output, (stdout, level) => {
    const real = level >= 2 ? stdout : dropUnifyingLines(stdout);
    return replaceAll(renameGuest(real, 'g1', 'g4'), pairs);
  });
  return { ...withLinksApplied(situation, output), configAfter: step.config_after };
}

const derivations = new Map<string, (situation: Situation) => VserverOverride>([
  ['vs04-resolution-errors: g1 without apps/vunify (wrapper)', deriveMissingAppdir],
  ['vs04-resolution-errors: g1 without apps/vunify (direct)', deriveMissingAppdir],
  ['vs05-pkgmgmt-switch: g1: pkgmgmt-force beats .defaults pkgmgmt-ignore -> vpkg fails', deriveStoppedDebianAfterSiblings],
  ['vs06-pkgmgmt-absent: g1: stopped Debian guest, vpkg fails', deriveStoppedDebianFirst],
  ['vs07-name-forms: wrapper, ./g1 from cwd CONFDIR', deriveRelativeName],
  ['vs08-wrapper-options: g4 hashify --destination (Q04)', deriveDestination],
]);

// A successful copy-mode run: exit 0, the links of its -vvvv output applied to the listing before it, config unchanged.
function withLinksApplied({ scenario, index }: Situation, output: LevelOutputs): VserverOverride {
  const before = findListingsBefore(scenario, index);
  const links = parseStoreLinks(output['4']!.stdout, scenario.config);
  const nextLabel = findNextLabel(findListingsSoFar(scenario, index).map((listings) => listings.state), 'i');
  return { exitCode: 0, output, stateAfter: applyStoreLinks(before.state, links, nextLabel), configAfter: before.config };
}

// A run that changes nothing leaves the listings it started from.
function unchanged(scenario: VserverScenario, index: number): { stateAfter: StateEntry[]; configAfter: ConfigEntry[] } {
  const { state, config } = findListingsBefore(scenario, index);
  return { stateAfter: state, configAfter: config };
}

function entryNameOf(scenario: VserverScenario, guest: string, file: string): string {
  return computeSha256EntryName(findTreeEntry(scenario, `vservers/${guest}/usr/bin/${file}`));
}

function checkNoDpkgDatabase(scenario: VserverScenario, guest: string): void {
  findTreeEntry(scenario, `vservers/${guest}/etc/debian_version`);
  const dpkg = scenario.tree.filter((entry) => entry.path.startsWith(`vservers/${guest}/var/lib/dpkg`));
  if (dpkg.length > 0) throw new Error(`${scenario.id} ${guest} has a dpkg database now; derive its conffile exclusions`);
}

function expectDifferences(a: VserverScenario, guestA: string, b: VserverScenario, guestB: string, expected: string[]): void {
  const found = findGuestDifferences(a, guestA, b, guestB);
  if (found.join('\n') !== expected.join('\n')) {
    throw new Error(`${a.id} ${guestA} and ${b.id} ${guestB} differ in ${found.join(', ') || 'nothing'}, not in ${expected.join(', ') || 'nothing'}`);
  }
}

// Both installations as a whole: the same guests, exclude lists, hash dirs and flags but for `expected`.
function expectConfigDifferences(a: VserverScenario, b: VserverScenario, expected: string[]): void {
  const found = findEntryDifferences(a.config, '', b.config, '');
  if (found.join('\n') !== expected.join('\n')) throw new Error(`${a.id} and ${b.id} configurations differ in ${found.join(', ')}, not in ${expected.join(', ')}`);
}

function findScenario(vectors: VserverVectors, id: string): VserverScenario {
  const scenario = vectors.scenarios.find((candidate) => candidate.id === id);
  if (scenario === undefined) throw new Error(`vserver.json has no scenario ${id}`);
  return scenario;
}

function findStep(scenario: VserverScenario, name: string): VserverStep {
  const step = scenario.steps.find((candidate) => candidate.name === name);
  if (step === undefined) throw new Error(`${scenario.id} has no step "${name}"`);
  return step;
}
