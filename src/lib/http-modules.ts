// node:http and node:https for Herold's own outgoing requests, taken with process.getBuiltinModule
// rather than imported. An ES module import of a built-in reads each of its exports to make the
// module's namespace, and node:http's WebSocket, CloseEvent and MessageEvent are getters that load
// undici: some 70 ms and 14 MB resident at every start, for a client nothing here uses. (Fastify
// takes node:http with require, which reads no export.)
export const http = process.getBuiltinModule('node:http');
export const https = process.getBuiltinModule('node:https');
