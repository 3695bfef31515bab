#!/usr/bin/env node
// The `backprop` command: runs the compiled CLI in dist/. A committed file, so that npm links
// the command when it installs the package, before `prepare` has built dist/.
await import('../dist/main.js');
