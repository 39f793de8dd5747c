#!/usr/bin/env node
// The `herold` command. Node runs the TypeScript sources directly; check-node.cjs first stops an
// older Node with one clear line (it is evaluated before this module's body runs).
import './check-node.cjs';
// A namespace import: a named one of a function an older Node lacks would fail before the check runs.
import * as nodeModule from 'node:module';

// The compile cache, as for the server (src/server.js): a second `herold` loads its modules from it.
nodeModule.enableCompileCache?.();

const { runCli } = await import('../src/cli/herold.ts');
process.exitCode = await runCli(process.argv.slice(2), process.env);
