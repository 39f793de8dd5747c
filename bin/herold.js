#!/usr/bin/env node
// The `herold` command. Node runs the TypeScript sources directly; check-node.cjs first stops an
// older Node with one clear line (it is evaluated before this module's body runs).
import './check-node.cjs';

const { runCli } = await import('../src/cli/herold.ts');
process.exitCode = await runCli(process.argv.slice(2), process.env);
