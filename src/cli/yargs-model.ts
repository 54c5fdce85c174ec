// The typed option model, derived from the option table and typed by yargs-parser, the parser
// yargs itself is built on. getopt has already accepted and resolved every option; the parser turns
// the canonical words into typed values. yargs proper is not loaded: importing it costs about
// 120 ms against 14 ms for its parser, and the 150 ms start-up budget cannot pay that
// (test/cli/yargs-model.test.ts checks that yargs, given the same declarations, agrees).
import { createRequire } from 'node:module';
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

/** The list pass: every occurrence of a list option adds its value (each word is one `--key=value`). */
export const listParserConfiguration = {
  ...yargsParserConfiguration,
  'duplicate-arguments-array': true,
  'flatten-duplicate-arrays': true,
} as const;

/** One declared option, in the shape yargs' `.options()` takes (so tests can hand it to yargs). */
export interface OptionDeclaration {
  type: 'boolean' | 'count' | 'string' | 'array';
  choices?: string[];
}

interface ParsedArguments {
  _: Array<string | number>;
  [key: string]: unknown;
}
type YargsParser = (args: string[], opts: Record<string, unknown>) => ParsedArguments;

/** yargs-parser, loaded on first use (`--help` and `--version` never need it). */
function loadParser(): YargsParser {
  const require = createRequire(import.meta.url);
  return require('yargs-parser') as YargsParser;
}

/** The yargs declaration of every model key in the table (help and version have none). */
export function computeYargsOptions(table: readonly OptionRow[] = optionTable): Record<string, OptionDeclaration> {
  const declarations: Record<string, OptionDeclaration> = {};
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
        const earlier = declarations[effect.key]?.choices ?? [];
        declarations[effect.key] = { type: 'string', choices: [...earlier, String(effect.value)] };
        break;
      }
      case 'list':
        declarations[effect.key] = { type: 'array' };
        break;
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
    case 'list':
      return `--${effect.key}=${value ?? ''}`;
    case 'assign':
      return `--${effect.key}=${effect.value}`;
    default:
      throw new Error(`--${row.name} acts at once and has no canonical form`);
  }
}

/** Types canonical words (from formatCanonicalArgument) with yargs-parser. Throws on an undeclared
 * word or a value outside its choices, which is a bug: getopt and the value checks have accepted them. */
export function parseCanonicalArgv(
  canonical: readonly string[],
  table: readonly OptionRow[] = optionTable,
): Omit<CommandLine, 'positionals'> {
  const declarations = computeYargsOptions(table);
  const keysOf = (type: OptionDeclaration['type']): string[] =>
    Object.keys(declarations).filter((key) => declarations[key]!.type === type);
  // Last value wins for every other option, so repeated list values ('duplicate-arguments-array',
  // off) would keep only the last: list words are typed in a second pass that collects them.
  const listKeys = keysOf('array');
  const isListWord = (word: string): boolean => listKeys.some((key) => word.startsWith(`--${key}=`));
  const parsed = loadParser()(canonical.filter((word) => !isListWord(word)), {
    boolean: keysOf('boolean'),
    count: keysOf('count'),
    string: keysOf('string'),
    configuration: yargsParserConfiguration,
  });
  const lists = loadParser()(canonical.filter(isListWord), { array: listKeys, configuration: listParserConfiguration });
  for (const [key, raw] of Object.entries(parsed)) {
    if (key === '_' || key === '--') continue;
    const declared = declarations[key];
    if (declared === undefined || declared.type === 'array') throw new Error(`Unknown argument: ${key}`);
    if (declared.choices !== undefined && raw !== undefined && !declared.choices.includes(String(raw))) {
      throw new Error(`Invalid values: Argument: ${key}, Given: ${JSON.stringify(raw)}, Choices: ${declared.choices.join(', ')}`);
    }
  }
  if (parsed._.length > 0) throw new Error(`Unknown argument: ${String(parsed._[0])}`);
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
      case 'list': {
        const values = lists[effect.key];
        settings[effect.key] = Array.isArray(values) ? values.map(String) : [];
        break;
      }
      default:
        break;
    }
  }
  return settings as unknown as Omit<CommandLine, 'positionals'>;
}
