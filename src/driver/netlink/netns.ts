import { closeSync, openSync } from 'node:fs';
import { CLONE_NEWNET, O_CLOEXEC, O_RDONLY } from './constants.js';
import { loadLibc, SysError } from './libc.js';

/**
 * Runs `fn` with the calling thread inside a named network namespace, and always brings it
 * back. Only the thread that calls setns moves: that is Node's main thread, which is also the
 * one spawn() forks from, so the way back must never be skipped (a child started meanwhile would
 * run in the container). `fn` must be synchronous for the same reason: no other JavaScript may
 * run while the thread is elsewhere.
 *
 * The point of entering is to create a socket there: a netlink socket keeps the namespace it was
 * created in, so after the way back it still talks to the container's kernel objects.
 */
export function inNetns<T>(name: string, fn: () => T): T {
  const c = loadLibc();
  const home = c.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC);
  if (home < 0) throw new SysError('opening /proc/thread-self/ns/net', c.errno());
  try {
    // an absolute path: a runtime's namespace not named yet (`netns: {path}`)
    const file = name.startsWith('/') ? name : `/run/netns/${name}`;
    const target = c.open(file, O_RDONLY | O_CLOEXEC);
    if (target < 0) throw new SysError(`opening ${file}`, c.errno());
    try {
      if (c.setns(target, CLONE_NEWNET) < 0) throw new SysError(`entering network namespace ${name}`, c.errno());
    } finally {
      c.close(target);
    }
    try {
      return fn();
    } finally {
      if (c.setns(home, CLONE_NEWNET) < 0) {
        // staying in the container's namespace would make every later command act there
        process.stderr.write(`ctnet: cannot return from network namespace ${name} (errno ${c.errno()}); exiting\n`);
        process.exit(70);
      }
    }
  } finally {
    c.close(home);
  }
}

/**
 * A file descriptor of a named namespace (for RTM_GETNSID), or undefined when it cannot be opened. Node's own
 * open and close (with O_CLOEXEC) cost less than a call through the FFI, which counts when every name is asked.
 */
export function openNetns(name: string): number | undefined {
  try {
    return openSync(`/run/netns/${name}`, 'r');
  } catch {
    return undefined; // gone meanwhile, or no file
  }
}

export const closeFd = (fd: number): void => closeSync(fd);
