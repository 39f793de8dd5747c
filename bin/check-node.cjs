// Runs before any TypeScript file is loaded (`npm start`, `npm test`, `npx herold`, `node src/server.js`): on a Node.js
// too old to run Herold's .ts sources it stops with one line saying which version is needed and how
// to get it, instead of ERR_UNKNOWN_FILE_EXTENSION. Plain old JavaScript on purpose (var, no
// arrow functions, CommonJS), so that any Node.js that exists can parse it.
'use strict';

var path = require('path');
var fs = require('fs');

/** The minimum of an `engines.node` range such as ">=22.18" as [major, minor, patch]. */
function minimumOf(range) {
  var match = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range || '');
  if (!match) return null;
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

/** Whether `version` ("24.1.0", "v20.20.2") is at least `minimum`. */
function satisfies(version, minimum) {
  var parts = String(version).replace(/^v/, '').split('.').map(Number);
  for (var i = 0; i < 3; i++) {
    var have = parts[i] || 0;
    if (have !== minimum[i]) return have > minimum[i];
  }
  return true;
}

/** The one line printed on a too old Node.js, or null when this one will do. */
function problem(version, range) {
  var minimum = minimumOf(range);
  if (!minimum || satisfies(version, minimum)) return null;
  return 'Herold needs Node.js ' + minimum.slice(0, 2).join('.') + ' or newer, but this is Node.js ' + String(version).replace(/^v/, '') +
    '. Install Node.js 24 LTS (https://nodejs.org/en/download, or `nvm install 24`), then run the command again.';
}

function engines() {
  var file = path.join(__dirname, '..', 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).engines.node;
}

module.exports = { minimumOf: minimumOf, satisfies: satisfies, problem: problem, engines: engines };

// Checks this Node.js when run (`node bin/check-node.cjs`) or imported (bin/herold.js, src/server.js).
var message = problem(process.versions.node, engines());
if (message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}
