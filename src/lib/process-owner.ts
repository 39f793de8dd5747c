// Who holds something that outlives a request (a lease on an outbox row): this process, named so
// that another process on the same machine can tell whether it is still there. A name says the
// host, the PID namespace (two containers on one host count as two machines) and the process id,
// and when it started (a reused process id makes a different name).
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

const pidNamespace = (): string => {
  try {
    return readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
  } catch {
    return '-';
  }
};

const place = `${hostname()}:${pidNamespace()}`;

/** This process: `host:pid-namespace:pid:start`. */
export const processOwner = `${place}:${process.pid}:${Date.now().toString(36)}`;

/**
 * True only when `owner` is a process of this machine and namespace that no longer exists. Any
 * doubt (another machine, a name of another form, a process id that is in use again) says false:
 * the caller then waits, as it would without knowing.
 */
export const isOwnerGone = (owner: string): boolean => {
  const match = /^(.*):(\d+):[0-9a-z]+$/.exec(owner);
  if (!match || match[1] !== place) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return owner !== processOwner;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};
