#!/usr/bin/env node
// The `herold` command. Node 24 runs the TypeScript sources directly.
const { runCli } = await import('../src/cli/herold.ts');
process.exitCode = await runCli(process.argv.slice(2), process.env);
