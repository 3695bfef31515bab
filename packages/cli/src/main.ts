#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { BackpropError } from './api.js';
import { handleClosedPipes } from './closed-pipe.js';
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
// Set after the subcommand is defined, so that only the program's own errors (an unknown
// command or option) get this pointer; train's point to `backprop train --help`.
program
  .configureOutput({ outputError: pointToHelp('backprop --help') })
  .addHelpText(
    'after',
    '\nRun "backprop train --help" for the training options and examples,\n' +
      '"backprop explain --help" for the options of explain, and\n' +
      '"backprop <predict|evaluate|export|convert> --help" for those commands.',
  );

// A reader that stops early (`backprop predict … | head`) closes the pipe: stop quietly, as
// other command-line tools do, instead of reporting EPIPE; train goes on (see closed-pipe.ts).
handleClosedPipes();

/**
 * Exit codes: 0 success; 1 a bad option or input (BackpropError, commander's usage errors);
 * 2 an unexpected error. Errors are one line, `error: …`, without a stack trace
 * (set BACKPROP_DEBUG=1 to see it).
 */
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode; // commander has printed the message or the help
  } else if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
    process.exitCode = 0; // the reader of stdout has gone (see above)
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env['BACKPROP_DEBUG'] && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = error instanceof BackpropError ? 1 : 2;
  }
}
