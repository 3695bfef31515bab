// Runs `backprop train` (the CLI, default job) in this process and reports its peak RSS, so
// that `npm run bench` can compare the default job's memory with the peers'. Arguments after
// the script are passed to `backprop train`.
process.argv = [process.argv[0], 'backprop', 'train', ...process.argv.slice(2)];
process.on('exit', () => {
  process.stderr.write(`${JSON.stringify({ peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
});
await import('../packages/cli/dist/main.js');
