// The entry point before it became src/server.js: a systemd unit or script written for an older
// Herold still starts the server through it. Node loads its type stripper to read this file (some
// 14 MB for the life of the process), so it says once where the entry point is now.
process.emitWarning('src/server.ts is kept for old units and scripts only: start the server with `node src/server.js` (docs/deploy.md, "Upgrading").');
await import('./server.js');
