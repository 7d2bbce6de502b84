#!/usr/bin/env node
'use strict';
// The `paystar` command (`npx paystar ...`): the mock gateway, sessions, webhooks and events
// from a shell. Written once in the Rust core, which runs off the main thread; this passes argv
// to it and exits with its code (0 ok, 1 a Paystar error, 2 a usage error). `mock` and
// `webhooks listen` run until Ctrl-C or SIGTERM, which Node's default handling ends (no handler
// here: process.exit() would wait for the command's thread, which never returns). docs/cli.md.

const native = require('../native.js');

native.cliMain(['paystar', ...process.argv.slice(2)]).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`paystar: ${error && error.message}\n`);
    process.exit(1);
  },
);
