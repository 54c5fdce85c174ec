// main()'s one call for the store administration modes: the mode's own file, loaded only when asked for.
import type { CommandLine } from '../cli/command-line.js';
import { chooseStoreAdminMode } from './store-admin-mode.js';
import type { RunEnvironment } from './traverse-guest.js';

/** The exit status of `--overview`, `--gc` or `--audit`; undefined when the command line asks for none of them. */
export async function dispatchStoreAdmin(cmd: CommandLine, env: RunEnvironment): Promise<number | undefined> {
  const choice = chooseStoreAdminMode(cmd);
  if (choice.kind === 'none') return undefined;
  if (choice.kind === 'error') {
    env.out.err(choice.message);
    return 1;
  }
  switch (choice.mode) {
    case 'overview': {
      const { runOverview } = await import('./run-overview.js');
      return (await runOverview(cmd, env)).exitCode;
    }
    case 'gc': {
      const { runGc } = await import('./run-gc.js');
      return (await runGc(cmd, env)).exitCode;
    }
    case 'audit': {
      const { runAudit } = await import('./run-audit.js');
      return (await runAudit(cmd, env, choice.sample)).exitCode;
    }
  }
}
