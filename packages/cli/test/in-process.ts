import { Command } from 'commander';
import { vi } from 'vitest';
import { defineConvertCommand } from '../src/convert-command.js';
import { defineEvaluateCommand } from '../src/evaluate-command.js';
import { defineExportCommand } from '../src/export-command.js';
import { definePredictCommand } from '../src/predict-command.js';
import { defineTrainCommand } from '../src/train-command.js';

/** What an in-process run of a command did: its output, and the error it ended with. */
export interface InProcessRun {
  stdout: string;
  stderr: string;
  /** The error the command threw (main.ts prints its message as `error: …`), if any. */
  error?: Error;
}

/**
 * Runs `backprop …args` in this process, as dist/cli/main.js would (the same command
 * definitions and actions), and collects what it writes to stdout and stderr.
 * @throws never; the command's error is returned in `error`
 */
export async function inProcess(...args: string[]): Promise<InProcessRun> {
  const program = new Command('backprop').exitOverride();
  defineTrainCommand(program);
  definePredictCommand(program);
  defineEvaluateCommand(program);
  defineExportCommand(program);
  defineConvertCommand(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error: error as Error };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
