import { closeSync, constants, openSync, statSync } from 'node:fs';
import { CLONE_NEWNET } from './netlink/constants.js';
import { loadLibc } from './netlink/libc.js';
import type { PathProblem, ReservedNetns } from '../model/kernel.js';

/**
 * What a runtime's namespace path (`netns: {path}`) names, found without changing anything:
 * a network namespace (its identity, `dev:ino` of the nsfs file), nothing, or something else.
 * Every namespace type shares nsfs's device, so a mount namespace (`/proc/PID/ns/mnt`) looks
 * like a network one to stat: the kernel's own answer is the NS_GET_NSTYPE ioctl on an open fd.
 */
export type PathProbe = { readonly identity: string } | { readonly problem: PathProblem };

/** `_IO(0xb7, 0x3)` (linux/nsfs.h): the CLONE_NEW* type of the namespace an nsfs fd refers to. */
const NS_GET_NSTYPE = 0xb703;

type Stat = { readonly dev: number; readonly ino: number };

export function statIdentity(path: string): Stat | undefined {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return undefined;
  }
}

export const identityText = (s: Stat): string => `${s.dev}:${s.ino}`;

export function probeNetnsPath(path: string): PathProbe {
  let s: Stat;
  try {
    const st = statSync(path);
    s = { dev: st.dev, ino: st.ino };
  } catch (e) {
    // another process's namespace may be out of reach (ptrace rules): unknown, so never used
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing' };
  }
  // only an nsfs file is ever opened: a FIFO, a device or a directory is refused on its stat
  const nsfs = statIdentity('/proc/self/ns/net')?.dev;
  if (s.dev !== nsfs) return { problem: 'not-netns' };
  const type = nsType(path);
  if (type !== undefined && type !== CLONE_NEWNET) return { problem: 'not-netns' };
  return { identity: identityText(s) };
}

/** The namespace type by ioctl; undefined when it cannot be asked (no libc binding, an old kernel). */
function nsType(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const t = loadLibc().ioctlInt(fd, NS_GET_NSTYPE, 0);
    return t < 0 ? undefined : t;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The namespace playing the host (`--host-netns`, else the one ctnet runs in), the one ctnet
 * runs in, and the root namespace (PID 1's): under a sandbox the last is the real host.
 */
export function reservedIdentities(hostNetns: string | null): Partial<Record<string, ReservedNetns>> {
  const out: Partial<Record<string, ReservedNetns>> = {};
  const add = (path: string, why: ReservedNetns): void => {
    const s = statIdentity(path);
    if (s && !(identityText(s) in out)) out[identityText(s)] = why;
  };
  add(hostNetns ? `/run/netns/${hostNetns}` : '/proc/self/ns/net', 'host');
  add('/proc/self/ns/net', 'self');
  add('/proc/1/ns/net', 'root');
  return out;
}
