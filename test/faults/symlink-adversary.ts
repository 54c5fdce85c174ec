// The hostile guest of issue 4.1: swaps guest directories and files for symlinks into a canary tree.
import { renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { createRandom } from './synthetic-guest.js';
import { isTimeToStop, type ScriptLimits } from './child-script.js';

/** Where to attack: guest-relative paths that also exist below `canary`, none below another. */
export interface SymlinkAttack extends ScriptLimits {
  guest: string;
  canary: string;
  targets: string[];
  /** How many targets are swapped at once. */
  batch: number;
  seed: number;
}

/** How many swaps were made (a swap that found its target missing is not counted). */
export interface SymlinkAttackReport {
  swaps: number;
  failed: number;
}

function hold(random: () => number): void {
  // Some swaps are undone at once, most stay a little while, so slower steps of the run meet them too.
  if (random() < 0.25) return;
  const until = process.hrtime.bigint() + BigInt(Math.floor(random() * 500_000));
  while (process.hrtime.bigint() < until);
}

function pickBatch(targets: string[], size: number, random: () => number): string[] {
  const picked = new Set<string>();
  while (picked.size < Math.min(size, targets.length)) picked.add(targets[Math.floor(random() * targets.length)]!);
  return [...picked];
}

/**
 * Repeatedly, for a batch of targets at once: rename `guest/p` aside and put a symlink to
 * `canary/p` in its place; hold; then remove the symlinks and rename the originals back. Targets
 * are never nested, so the adversary itself never acts through one of its own symlinks. Stops at
 * its limits or when the stop file appears, always after putting everything back.
 */
export function runSymlinkAdversary(attack: SymlinkAttack): SymlinkAttackReport {
  const random = createRandom(attack.seed);
  const report: SymlinkAttackReport = { swaps: 0, failed: 0 };
  const started = Date.now();
  for (let i = 0; !isTimeToStop(attack, i, started); i += 1) {
    const swapped: string[] = [];
    for (const target of pickBatch(attack.targets, attack.batch, random)) {
      const path = `${attack.guest}/${target}`;
      try {
        renameSync(path, `${path}.adversary`);
      } catch {
        report.failed += 1;
        continue;
      }
      swapped.push(path);
      try {
        symlinkSync(`${attack.canary}/${target}`, path);
      } catch {
        // the run renamed something over the name meanwhile: the original goes back below anyway
      }
    }
    hold(random);
    for (const path of swapped) {
      try {
        unlinkSync(path);
      } catch {
        // gone already
      }
      try {
        renameSync(`${path}.adversary`, path);
        report.swaps += 1;
      } catch {
        report.failed += 1;
      }
    }
  }
  return report;
}
