// Entry point: `node src/server.ts`. Node strips the types of every module of Herold and compiles
// them at each start; its compile cache keeps both on disk, so a restart loads the server from the
// cache (NODE_COMPILE_CACHE names the folder, else Node's own in the system's temporary folder).
// It must be on before the modules load: the server is imported only after.
import { enableCompileCache } from 'node:module';

const cache = enableCompileCache();
// The search threads load their modules through the same cache.
if (cache.directory) process.env.NODE_COMPILE_CACHE = cache.directory;

await import('./serve.ts');
