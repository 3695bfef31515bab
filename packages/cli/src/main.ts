#!/usr/bin/env node
import { handleClosedPipes } from './closed-pipe.js';
import { runBackprop } from './program.js';

// A reader that stops early (`backprop predict … | head`) closes the pipe: stop quietly, as
// other command-line tools do, instead of reporting EPIPE; train goes on (see closed-pipe.ts).
handleClosedPipes();

// Exit codes and error lines: see runBackprop.
process.exitCode = await runBackprop(process.argv.slice(2));
