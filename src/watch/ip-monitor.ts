import { spawn, type ChildProcess } from 'node:child_process';
import { debounce } from './debounce.js';
import type { KernelEventOptions, KernelEvents } from './kernel-source.js';

/** A monitor that dies at once (the namespace is gone) is restarted ever more slowly. */
const RESTART_MS = 1000;
const RESTART_MAX_MS = 30_000;

/**
 * The fallback where the netlink binding cannot load: `ip -json monitor link address route
 * all-nsid` in the namespace playing the host, one child process. `all-nsid` hears the namespaces
 * that have an id there (the kernel numbers one when a veth joins it to the host); the others
 * wait for the resync, since ids are only assigned through the binding. Events are not parsed:
 * any line means "look again". A monitor that dies is restarted with backoff; `close` ends it
 * and waits for its exit.
 */
export function watchWithIpMonitor(o: KernelEventOptions): KernelEvents {
  const fire = debounce(o.debounceMs, () => o.onChange());
  const args = [
    ...(o.hostNetns ? ['-n', o.hostNetns] : []),
    '-json',
    'monitor',
    'link',
    'address',
    'route',
    'all-nsid',
  ];
  let child: ChildProcess | undefined;
  let closing = false;
  let restart: NodeJS.Timeout | undefined;
  let delay = RESTART_MS;
  const start = (): void => {
    const began = Date.now();
    // argv, never a shell: the namespace name is a user value
    const c = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let stderr = '';
    c.stdout.on('data', () => fire.poke());
    c.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    c.on('error', (e) => o.onWarning(`cannot run ip monitor: ${e.message}`));
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      if (closing) return;
      // one that ran for a while died of something new: start over from the short delay
      if (Date.now() - began > RESTART_MAX_MS) delay = RESTART_MS;
      o.onWarning(
        `ip monitor exited (${signal ?? `code ${code}`}${stderr.trim() ? `: ${stderr.trim()}` : ''}); restarting in ${delay / 1000} s, the resync still runs`,
      );
      restart = setTimeout(start, delay);
      delay = Math.min(delay * 2, RESTART_MAX_MS);
    });
  };
  start();
  return {
    source: 'ip monitor',
    pid: () => child?.pid,
    own: () => [],
    async close() {
      closing = true;
      fire.cancel();
      if (restart) clearTimeout(restart);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((res) => c.once('exit', () => res()));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(t);
    },
  };
}
