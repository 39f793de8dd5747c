// Entry point: `node src/server.js`. Node strips the types of every module of Herold and compiles
// them at each start; its compile cache keeps both on disk, so a restart loads the server from the
// cache (NODE_COMPILE_CACHE names the folder, else Node's own in the system's temporary folder).
// It must be on before the modules load: the server is imported only after. This one file is plain
// JavaScript for that reason: were it TypeScript, Node would load its type stripper (a WebAssembly
// module, some 14 MB resident for the life of the process) to read it, cache or not. An older Node
// stops at check-node.cjs with one line (it is evaluated before this module's body runs).
import '../bin/check-node.cjs';
// A namespace import: a named one of a function an older Node lacks would fail before the check runs.
import * as nodeModule from 'node:module';
import v8 from 'node:v8';

const cache = nodeModule.enableCompileCache();
// The search threads load their modules through the same cache.
if (cache.directory) process.env.NODE_COMPILE_CACHE = cache.directory;

// `--max-semi-space-size` (8 in `npm start`) sizes the young generation of each isolate V8 makes and
// overrides a worker's own limit. The main thread's heap is made by now and keeps its 16 MB; set
// back to V8's default (0: no override), the search threads size theirs (search.pool.ts).
v8.setFlagsFromString('--max-semi-space-size=0');

await import('./serve.ts');
