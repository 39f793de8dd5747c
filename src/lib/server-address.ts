// The address the running server serves its pages at, recorded in the data folder when it starts,
// so that the CLI prints links that open even when PUBLIC_URL, HOST and PORT are set only in the
// server's environment (a systemd unit, another shell). Kept after a stop: a server started again
// with the same configuration serves at the same address.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ServerAddress {
  url: string;
  pid: number;
  startedAt: string;
}

export const serverAddressFile = (dataDir: string): string => path.join(dataDir, 'server-address.json');

export const recordServerAddress = (dataDir: string, address: ServerAddress): void => {
  const file = serverAddressFile(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(address, null, 2)}\n`);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
};

/** The recorded address, or undefined when no server has recorded one (or the file is unreadable). */
export const readServerAddress = (dataDir: string): ServerAddress | undefined => {
  try {
    const parsed = JSON.parse(readFileSync(serverAddressFile(dataDir), 'utf8')) as Partial<ServerAddress>;
    if (typeof parsed.url !== 'string' || !/^https?:\/\/[^\s]+$/.test(parsed.url)) return undefined;
    return { url: parsed.url, pid: Number(parsed.pid ?? 0), startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
};
