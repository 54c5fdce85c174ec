// The script's own arguments as raw bytes: Node decodes argv as UTF-8 and mangles other bytes.
import { readFileSync } from 'node:fs';

const CMDLINE = '/proc/self/cmdline';

/**
 * The last `process.argv.length - 2` words of /proc/self/cmdline: the arguments after the script,
 * byte for byte (node's own options such as --enable-source-maps come before the script and are
 * not among them). Each word is checked against its decoded twin in process.argv, so a command line
 * rewritten in memory (setting process.title does that) is refused rather than misread: call this
 * before anything changes the title.
 */
export function readScriptArgv(): Buffer[] {
  const words = splitCmdline(readFileSync(CMDLINE));
  const count = process.argv.length - 2;
  if (count <= 0) return [];
  if (words.length < count) throw new Error(`${CMDLINE} holds fewer words than process.argv`);
  const args = words.slice(words.length - count);
  args.forEach((arg, i) => {
    if (arg.toString('utf8') !== process.argv[i + 2]) {
      throw new Error(`${CMDLINE} does not match process.argv (was the process title changed?)`);
    }
  });
  return args;
}

// Words end with a NUL each (the last one too), so an empty argument is an empty word.
function splitCmdline(data: Buffer): Buffer[] {
  const words: Buffer[] = [];
  let from = 0;
  for (let at = data.indexOf(0); at !== -1; at = data.indexOf(0, from)) {
    words.push(data.subarray(from, at));
    from = at + 1;
  }
  if (from < data.length) words.push(data.subarray(from));
  return words;
}
