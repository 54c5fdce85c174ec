// The `--help` text: upstream's, with the manual-mode synopsis corrected and the options upstream
// left out (and ours) added in the same layout, all generated from the option table.
import type { OptionRow } from './option-table.js';
import { optionTable } from './option-table.js';

// Upstream's layout: label in a 16-column field after two blanks, `...  `, text from column 23,
// lines wrapped before 79 columns (upstream's longest lines are 75 and 76 characters).
const labelWidth = 16;
const textColumn = 23;
const lineWidth = 78;

/** Where bug reports go; this reimplementation's problems are not the util-vserver list's. */
export const bugReportAddress = 'the maintainers of the vhashify TypeScript package';

/** The complete help text, every line ending in `\n`. */
export function formatHelp(argv0: string): string {
  const upstreamRows = optionTable.filter((row) => row.inUpstreamHelp);
  const otherRows = optionTable.filter((row) => !row.inUpstreamHelp);
  const lines = [
    'Usage:',
    `  ${argv0} [-nv] [--refresh] <vserver>`,
    '    or',
    // QUIRK Q01: upstream advertises `--manually [-nv] [--] <hashdir> <path> <excludelist>`, but the
    // hash dir comes only from --destination and the first positional is the path.
    `  ${argv0} --manually --destination <hashdir> [-nv] [--] <path> <excludelist>`,
    '',
    ...[...upstreamRows, ...otherRows].flatMap(formatHelpRow),
    // Upstream has no blank line before this one.
    `Please report bugs to ${bugReportAddress}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The label help shows for an option: `--name <value>`, `-x, --name`, or upstream's own. */
export function formatHelpLabel(row: OptionRow): string {
  if (row.helpLabel !== undefined) return row.helpLabel;
  const long = `--${row.name}${row.argument === 'required' ? ` <${row.valueName ?? 'value'}>` : ''}`;
  return row.short === undefined ? long : `-${row.short}, ${long}`;
}

/** The help lines of one option; a label too long for its field gets a line of its own. */
export function formatHelpRow(row: OptionRow): string[] {
  const label = formatHelpLabel(row);
  const text = wrapWords(row.help, lineWidth - textColumn);
  const lead = `  ${label.length < labelWidth ? label.padEnd(labelWidth) : ''.padEnd(labelWidth)}...  `;
  const lines = label.length < labelWidth ? [] : [`  ${label}`];
  lines.push(`${lead}${text[0] ?? ''}`);
  for (const more of text.slice(1)) lines.push(`${' '.repeat(textColumn)}${more}`);
  return lines;
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}
