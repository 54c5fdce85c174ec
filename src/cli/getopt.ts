// An emulation of glibc's (>= 2.26) getopt_long with a short-option string starting with '+',
// for the rules yargs cannot express. Each was checked against yargs 18 configured like our model
// (test/cli/yargs-model.test.ts shows the differences) and against glibc 2.36 itself:
// - long options may be abbreviated to any unambiguous prefix (an exact name always wins); yargs
//   knows no abbreviations and calls `--verb` an unknown argument;
// - an ambiguous prefix is an error listing the candidates in table order;
// - a required argument is taken from the next word whatever it looks like (`--destination --help`
//   names a directory `--help`); yargs refuses it as a missing argument;
// - `--flag=value` on an option without argument is an error; inside a short bundle, a character
//   that is not a short option (`-n=x`, `-1`) is an error; yargs accepts `-n=x` as `dry-run=false`
//   and takes `-1` for a positional number;
// - `--help`/`--version` act where they are met, so errors after them never show; yargs validates
//   the whole line first;
// - glibc's exact diagnostics, `<argv0>: unrecognized option '--foo'` and the like.
// The walk has to see every word to find these errors, so it also splits off the positionals
// (`--`, the first non-option). It hands on the accepted options under their full names; yargs
// turns those into typed values (flags, counts, last value wins, choices).

/** What getopt needs to know of an option. */
export interface GetoptOption {
  readonly name: string;
  readonly short?: string;
  readonly argument: 'none' | 'required';
}

/** One result of the walk: an accepted option, the first error, or the end with the positionals. */
export type GetoptStep<T extends GetoptOption> =
  | { readonly kind: 'option'; readonly option: T; readonly value: string | undefined }
  /** glibc's diagnostic line, `<argv0>: …\n`; the walk ends there, as vhashify exits on it. */
  | { readonly kind: 'error'; readonly diagnostic: string }
  | { readonly kind: 'end'; readonly positionals: string[] };

interface LongResult<T extends GetoptOption> {
  readonly step: GetoptStep<T>;
  readonly next: number;
}

/** Walks argv like getopt_long with optstring `+<shorts>`, yielding one step per option until the end
 * or the first error. Lazy on purpose: a consumer that stops at `--help` never sees later errors. */
export function* parseGetoptSteps<T extends GetoptOption>(
  argv: readonly string[],
  argv0: string,
  options: readonly T[],
): Generator<GetoptStep<T>, void, undefined> {
  let index = 0;
  while (index < argv.length) {
    const word = argv[index];
    if (word === '--') {
      yield { kind: 'end', positionals: argv.slice(index + 1) };
      return;
    }
    // Upstream's optstring starts with '+' (REQUIRE_ORDER): the first non-option ends option parsing
    // and everything after it is positional, `-n` included. A lone '-' is a non-option.
    if (!word.startsWith('-') || word === '-') {
      yield { kind: 'end', positionals: argv.slice(index) };
      return;
    }
    if (word.startsWith('--')) {
      const { step, next } = readLongOption(argv, index, argv0, options);
      yield step;
      if (step.kind === 'error') return;
      index = next;
      continue;
    }
    const shortResult = yield* readShortBundle(argv, index, argv0, options);
    if (shortResult === undefined) return;
    index = shortResult;
  }
  yield { kind: 'end', positionals: [] };
}

function readLongOption<T extends GetoptOption>(
  argv: readonly string[],
  index: number,
  argv0: string,
  options: readonly T[],
): LongResult<T> {
  const body = argv[index].slice(2);
  const equals = body.indexOf('=');
  const name = equals < 0 ? body : body.slice(0, equals);
  const error = (diagnostic: string): LongResult<T> => ({ step: { kind: 'error', diagnostic }, next: index + 1 });

  let found = options.find((option) => option.name === name);
  if (found === undefined) {
    const candidates = options.filter((option) => option.name.startsWith(name));
    // glibc quotes the whole word after `--`, `=value` included, in these two messages.
    if (candidates.length > 1) {
      const list = candidates.map((option) => ` '--${option.name}'`).join('');
      return error(`${argv0}: option '--${body}' is ambiguous; possibilities:${list}\n`);
    }
    if (candidates.length === 0) return error(`${argv0}: unrecognized option '--${body}'\n`);
    found = candidates[0];
  }
  // From here on glibc names the option by its full name, however it was abbreviated.
  if (equals >= 0) {
    if (found.argument === 'none') return error(`${argv0}: option '--${found.name}' doesn't allow an argument\n`);
    return { step: { kind: 'option', option: found, value: body.slice(equals + 1) }, next: index + 1 };
  }
  if (found.argument === 'none') return { step: { kind: 'option', option: found, value: undefined }, next: index + 1 };
  if (index + 1 >= argv.length) return error(`${argv0}: option '--${found.name}' requires an argument\n`);
  return { step: { kind: 'option', option: found, value: argv[index + 1] }, next: index + 2 };
}

// Yields the options of one `-abc` word; returns the index of the next word, or undefined after an error.
function* readShortBundle<T extends GetoptOption>(
  argv: readonly string[],
  index: number,
  argv0: string,
  options: readonly T[],
): Generator<GetoptStep<T>, number | undefined, undefined> {
  // Code points, not UTF-16 units; glibc walks bytes (see the note on non-ASCII below).
  const letters = Array.from(argv[index].slice(1));
  for (let at = 0; at < letters.length; at += 1) {
    const letter = letters[at];
    const option = options.find((candidate) => candidate.short === letter);
    if (option === undefined) {
      // glibc prints the single offending byte; for a non-ASCII character we print the whole character.
      yield { kind: 'error', diagnostic: `${argv0}: invalid option -- '${letter}'\n` };
      return undefined;
    }
    if (option.argument === 'none') {
      yield { kind: 'option', option, value: undefined };
      continue;
    }
    const rest = letters.slice(at + 1).join('');
    if (rest !== '') {
      yield { kind: 'option', option, value: rest };
      return index + 1;
    }
    if (index + 1 >= argv.length) {
      yield { kind: 'error', diagnostic: `${argv0}: option requires an argument -- '${letter}'\n` };
      return undefined;
    }
    yield { kind: 'option', option, value: argv[index + 1] };
    return index + 2;
  }
  return index + 1;
}
