// From argv to what main() should do: run with a typed command line, print help or version, or
// report a usage error. Pure: nothing is printed and the process is not touched.
import type { CommandLine } from './command-line.js';
import { parseGetoptSteps } from './getopt.js';
import { formatHelp } from './help-text.js';
import type { OptionRow } from './option-table.js';
import { optionTable } from './option-table.js';
import { fromByteString } from './argv-bytes.js';
import { formatVersion } from './version-text.js';
import { formatCanonicalArgument, parseCanonicalArgv } from './yargs-model.js';

// main() gets the result types from here, next to the parser.
export type { CommandLine, ProtectPolicy } from './command-line.js';

/** What main() should do; `help` and `version` exit 0, `error` exits with its code. */
export type ParseOutcome =
  | { kind: 'run'; commandLine: CommandLine }
  | { kind: 'help'; stdout: string }
  | { kind: 'version'; stdout: string }
  | { kind: 'error'; stderr: string; exitCode: 1 };

/** Parses the arguments after argv[0] the way upstream's getopt_long loop does; `argv0` is used
 * in messages exactly as given (spec 1.3). */
export function parseCommandLine(argv: readonly string[], argv0: string): ParseOutcome {
  const canonical: string[] = [];
  for (const step of parseGetoptSteps(argv, argv0, optionTable)) {
    if (step.kind === 'error') return formatUsageError(step.diagnostic, argv0);
    if (step.kind === 'end') {
      // Words are byte strings (one character per byte, see argv-bytes.ts): positionals go back to bytes.
      return { kind: 'run', commandLine: { ...parseCanonicalArgv(canonical), positionals: step.positionals.map(fromByteString) } };
    }
    const { option, value } = step;
    // Like upstream's option loop, --help and --version act when reached; later words are not read.
    if (option.effect.kind === 'help') return { kind: 'help', stdout: formatHelp(argv0) };
    if (option.effect.kind === 'version') return { kind: 'version', stdout: formatVersion() };
    const problem = validateOptionValue(option, value, argv0);
    if (problem !== undefined) return formatUsageError(problem, argv0);
    canonical.push(formatCanonicalArgument(option, value));
  }
  throw new Error('getopt ended without an end or error step');
}

function formatUsageError(diagnostic: string, argv0: string): ParseOutcome {
  return { kind: 'error', stderr: `${diagnostic}Try '${argv0} --help' for more information.\n`, exitCode: 1 };
}

// Checked when the option is met, as a C option loop would, so a bad value before --help wins.
function validateOptionValue(option: OptionRow, value: string | undefined, argv0: string): string | undefined {
  const { effect } = option;
  if (effect.kind !== 'value' || effect.choices === undefined || value === undefined) return undefined;
  if (effect.choices.includes(value)) return undefined;
  const valid = effect.choices.map((choice) => `'${choice}'`).join(', ');
  return `${argv0}: invalid argument '${value}' for '--${option.name}'\nValid arguments are: ${valid}\n`;
}
