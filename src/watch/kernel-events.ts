import { spawn, type ChildProcess } from 'node:child_process';
import { debounce } from './debounce.js';

export interface KernelEvents {
  /** The monitor's pid, while it runs. */
  readonly pid: () => number | undefined;
  close(): Promise<void>;
}

export interface KernelEventOptions {
  readonly hostNetns: string | null;
  readonly debounceMs: number;
  /** Links, addresses or routes changed in the host namespace, then things went quiet. */
  readonly onChange: () => void;
  readonly onWarning: (message: string) => void;
}

/** A monitor that dies at once (the namespace is gone) is restarted ever more slowly. */
const RESTART_MS = 1000;
const RESTART_MAX_MS = 30_000;

/**
 * `ip -json monitor link address route` in the namespace playing the host, as a trigger source:
 * a deleted owned link or route is repaired without waiting for the resync. Events are not
 * parsed: any line means "look again", and the loop's full reconcile decides what (if anything)
 * to do, so ctnet's own changes cost one more reconcile with an empty plan and then it is quiet.
 * Container namespaces are not monitored (one process each would not scale); the resync covers
 * them. A monitor that dies is restarted with backoff; `close` ends it and waits for its exit.
 */
export function watchKernel(o: KernelEventOptions): KernelEvents {
  const fire = debounce(o.debounceMs, o.onChange);
  const args = [...(o.hostNetns ? ['-n', o.hostNetns] : []), '-json', 'monitor', 'link', 'address', 'route'];
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
    c.stdout!.on('data', () => fire.poke());
    c.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    c.on('error', (e) => o.onWarning(`cannot run ip monitor: ${e.message}`));
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      if (closing) return;
      // one that ran for a while died of something new: start over from the short delay
      if (Date.now() - began > RESTART_MAX_MS) delay = RESTART_MS;
      o.onWarning(`ip monitor exited (${signal ?? `code ${code}`}${stderr.trim() ? `: ${stderr.trim()}` : ''}); restarting in ${delay / 1000} s, the resync still runs`);
      restart = setTimeout(start, delay);
      delay = Math.min(delay * 2, RESTART_MAX_MS);
    });
  };
  start();
  return {
    pid: () => child?.pid,
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
