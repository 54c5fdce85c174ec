// Each of our added modes replaces the run (explain, check, store and guest administration), so
// two of them on one command line mean nothing: they are refused together, before anything runs.
import type { CommandLine } from './command-line.js';

/** The mode options the command line gives, in the order of the option table. */
export function modeOptions(cmd: CommandLine): string[] {
  const given: [boolean, string][] = [
    [cmd.overview, '--overview'], [cmd.gc, '--gc'], [cmd.audit, '--audit'],
    [cmd.explain !== undefined, '--explain'], [cmd.check, '--check'],
    [cmd.unhashify, '--unhashify'], [cmd.unshared, '--unshared'], [cmd.clone, '--clone'],
  ];
  return given.filter(([on]) => on).map(([, name]) => name);
}

/** The refusal for more than one mode, or undefined. */
export function modeConflict(cmd: CommandLine): string | undefined {
  const named = modeOptions(cmd).map((m) => `'${m}'`);
  if (named.length < 2) return undefined;
  const list = `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `vhashify: ${list} do not go together; give one of them\n`;
}
