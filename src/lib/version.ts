// Herold's version, from package.json: named to other servers (NodeInfo, the User-Agent of deliveries).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const HEROLD_VERSION: string = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;
