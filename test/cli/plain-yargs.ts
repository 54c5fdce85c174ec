// yargs proper, configured like our option model, for the tests that compare the model with it.
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { yargsParserConfiguration } from '../../src/cli/yargs-model.js';

type YargsFactory = (processArgs?: readonly string[], cwd?: string) => Argv;

/** A fresh strict yargs instance that throws instead of exiting. */
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
