import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { BackpropError } from './api.js';
import { pointToHelp } from './options.js';
import { defineExplainCommand } from './explain-command.js';
import { defineEvaluateCommand } from './evaluate-command.js';
import { defineExportCommand } from './export-command.js';
import { defineConvertCommand } from './convert-command.js';
import { definePredictCommand } from './predict-command.js';
import { defineTrainCommand } from './train-command.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/**
 * A fresh `backprop` program with every command (commander keeps parsed values in the
 * command objects, so each run gets its own).
 * @throws never
 */
export function createProgram(): Command {
  const program = new Command('backprop')
    .description('Feed-forward neural networks trained by backpropagation.')
    .version(version)
    .exitOverride(); // throw CommanderError instead of exiting, inherited by the subcommands
  defineTrainCommand(program);
  defineExplainCommand(program);
  definePredictCommand(program);
  defineEvaluateCommand(program);
  defineExportCommand(program);
  defineConvertCommand(program);
  // Set after the subcommands are defined, so that only the program's own errors (an unknown
  // command or option) get this pointer; train's point to `backprop train --help`.
  return program
    .configureOutput({ outputError: pointToHelp('backprop --help') })
    .addHelpText(
      'after',
      '\nRun "backprop train --help" for the training options and examples,\n' +
        '"backprop explain --help" for the options of explain, and\n' +
        '"backprop <predict|evaluate|export|convert> --help" for those commands.',
    );
}

/**
 * Runs `backprop …args` (the arguments after the program name) and returns the exit status:
 * 0 success; 1 a bad option or input (BackpropError, commander's usage errors); 2 an
 * unexpected error. Errors are written to stderr as one line, `error: …`, without a stack
 * trace (set BACKPROP_DEBUG=1 to see it). main.ts runs it as the process; the tests run it in
 * their own process.
 * @throws never; every error becomes the status and its line on stderr
 */
export async function runBackprop(args: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed it
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 0; // the reader has gone
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env['BACKPROP_DEBUG'] && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    return error instanceof BackpropError ? 1 : 2;
  }
}
