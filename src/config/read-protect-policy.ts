// Which protection policy a run uses: command line, then the one-word `protect` files, then auto.
import { readFileSync } from 'node:fs';

import { isProtectPolicy, protectPolicies, type ProtectPolicy } from '../cli/command-line.js';

/** Where a policy came from, for messages. */
export interface PolicyChoice {
  policy: ProtectPolicy;
  source: string;
}


/**
 * The first of: the command-line value, then each candidate `protect` file that exists (its first
 * word; `#` lines are comments). An unknown word is an error naming the file, never a silent default.
 */
export function readProtectPolicy(cli: ProtectPolicy | undefined, files: readonly string[]): PolicyChoice | { error: string } {
  if (cli !== undefined) return { policy: cli, source: 'the command line' };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const word = text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0 && !line.startsWith('#'))
      ?.split(/\s+/)[0];
    if (word === undefined || !isProtectPolicy(word)) {
      return {
        error:
          `vhashify: ${file}: unknown protection policy '${word ?? ''}'\n` +
          `Write one of: ${protectPolicies.join(', ')} (one word) into that file.\n`,
      };
    }
    return { policy: word, source: file };
  }
  return { policy: 'auto', source: 'the default' };
}

/** The refusal of `auto` on a kernel without Linux-VServer support: what happened and what to do. */
export function formatAutoRefusal(protectFiles: readonly string[]): string {
  return (
    'vhashify: this kernel has no Linux-VServer support, so shared files cannot get the immutable-but-unlinkable attributes upstream relies on.\n' +
    "Choose a protection policy: 'immutable' (chattr +i on shared files: no guest can change or replace them), " +
    "'none' (plain hard links: an in-place write in one guest shows in all; trusted guests only) or " +
    "'vserver' (upstream's behaviour: every file is skipped on this kernel).\n" +
    `Set it with --protect POLICY or write the word into ${protectFiles.join(' or ')}.\n`
  );
}
