// The typed option model, declared in yargs and derived from the option table. getopt has already
// accepted and resolved every option; yargs turns the canonical words into typed values.
import { createRequire } from 'node:module';
import type { Argv, Options } from 'yargs';
import type { CommandLine } from './command-line.js';
import type { OptionRow } from './option-table.js';
import { optionTable } from './option-table.js';

/** Parser settings: nothing is guessed from spelling, numbers stay strings, the last value wins. */
export const yargsParserConfiguration = {
  'camel-case-expansion': false,
  'dot-notation': false,
  'parse-numbers': false,
  'parse-positional-numbers': false,
  'boolean-negation': false,
  'halt-at-non-option': true,
  'duplicate-arguments-array': false,
  'strip-aliased': true,
} as const;

type YargsFactory = (processArgs?: readonly string[], cwd?: string) => Argv;

/** A fresh yargs instance, loaded on first use: importing yargs costs about 90 ms, which
 * `--help` and `--version` must not pay (synchronous require of its ES module, Node >= 20.19). */
export function createYargsInstance(): Argv {
  const require = createRequire(import.meta.url);
  const factory = require('yargs/yargs') as YargsFactory;
  // An explicit cwd: by default yargs calls process.cwd(), which throws in a deleted directory.
  return factory([], '/')
    .help(false)
    .version(false)
    .parserConfiguration(yargsParserConfiguration)
    .strict()
    .exitProcess(false)
    .fail((message: string | null, error: Error | null) => {
      throw error ?? new Error(message ?? 'yargs failed');
    });
}

/** The yargs declaration of every model key in the table (help and version have none). */
export function computeYargsOptions(table: readonly OptionRow[] = optionTable): Record<string, Options> {
  const declarations: Record<string, Options> = {};
  for (const { effect } of table) {
    switch (effect.kind) {
      case 'flag':
        declarations[effect.key] = { type: 'boolean' };
        break;
      case 'count':
        declarations[effect.key] = { type: 'count' };
        break;
      case 'value':
        declarations[effect.key] = effect.choices === undefined
          ? { type: 'string' }
          : { type: 'string', choices: [...effect.choices] };
        break;
      case 'assign': {
        // A string, not a number: yargs adds repeated number options up instead of keeping the last.
        const earlier = (declarations[effect.key]?.choices ?? []) as string[];
        declarations[effect.key] = { type: 'string', choices: [...earlier, String(effect.value)] };
        break;
      }
      default:
        break;
    }
  }
  return declarations;
}

/** The canonical word for an accepted option: its model key, any value attached with `=` so that
 * no value can be taken for an option. */
export function formatCanonicalArgument(row: OptionRow, value: string | undefined): string {
  const { effect } = row;
  switch (effect.kind) {
    case 'flag':
    case 'count':
      return `--${effect.key}`;
    case 'value':
      return `--${effect.key}=${value ?? ''}`;
    case 'assign':
      return `--${effect.key}=${effect.value}`;
    default:
      throw new Error(`--${row.name} acts at once and has no canonical form`);
  }
}

/** Types canonical words (from formatCanonicalArgument) with yargs. Throws if yargs rejects them,
 * which is a bug: getopt and the value checks have accepted them already. */
export function parseCanonicalArgv(
  canonical: readonly string[],
  table: readonly OptionRow[] = optionTable,
): Omit<CommandLine, 'positionals'> {
  const parsed = createYargsInstance().options(computeYargsOptions(table)).parseSync([...canonical]) as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const { effect } of table) {
    const raw = 'key' in effect ? parsed[effect.key] : undefined;
    switch (effect.kind) {
      case 'flag':
        settings[effect.key] = raw === true;
        break;
      case 'count':
        settings[effect.key] = typeof raw === 'number' ? raw : 0;
        break;
      case 'value':
        if (typeof raw === 'string') settings[effect.key] = raw;
        break;
      case 'assign':
        settings[effect.key] = typeof raw === 'string' ? Number(raw) : 0;
        break;
      default:
        break;
    }
  }
  return settings as unknown as Omit<CommandLine, 'positionals'>;
}
