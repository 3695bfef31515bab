// A reader that stops early (`backprop predict … | head`) closes the pipe, and the next write
// fails with EPIPE. Other command-line tools stop quietly then; `backprop train` must not: it
// would lose the model it is training (issue 15, item 4).

/** What happens when the reader of stdout or stderr goes away: stop quietly, or go on. */
export type ClosedPipePolicy = 'exit' | 'drop';

let policy: ClosedPipePolicy = 'exit';
const closed = new Set<NodeJS.WriteStream>();

/**
 * Handles EPIPE on stdout and stderr: with the 'exit' policy (the default) the process exits
 * with status 0 at once; with 'drop' the stream is marked closed and {@link say} drops what is
 * written to it, so the command runs to its end. Other stream errors are thrown.
 * @throws never itself; a stream error other than EPIPE is rethrown from the 'error' event
 */
export function handleClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed.add(stream);
      if (policy === 'exit') process.exit(0);
    });
  }
}

/**
 * Sets what a closed pipe does from now on: `backprop train` chooses 'drop' (its progress is
 * dropped, the model is still saved and the exit status is 0).
 * @throws never
 */
export function onClosedPipe(next: ClosedPipePolicy): void {
  policy = next;
}

/**
 * Writes text to stdout or stderr, or nothing once its reader has gone (see
 * {@link handleClosedPipes}).
 * @throws never for EPIPE
 */
export function say(stream: NodeJS.WriteStream, text: string): void {
  if (!closed.has(stream)) stream.write(text);
}
