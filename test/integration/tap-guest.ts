import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const SCRIPT = resolve(import.meta.dirname, 'tap-guest.py');

export interface GuestNic {
  readonly tap: string;
  readonly mac: string;
  readonly ip4?: string;
  readonly ip6?: string;
}

export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  /** The MAC that answered (arp, ndp, ping) or asked (serve). */
  readonly mac: string | null;
}

export interface RunningGuest {
  /** Resolves once the tap is open: from then on the guest answers for its addresses. */
  readonly ready: Promise<void>;
  readonly done: Promise<{ readonly code: number | null; readonly steps: StepResult[]; readonly stderr: string }>;
}

/**
 * A VM guest on a tap (tap-guest.py), run in the namespace that plays the host as a hypervisor
 * there would: it opens the tap by name, then runs `steps` (`['arp', '169.254.0.1', 'ping',
 * '169.254.0.1', '192.0.2.1']`) and exits; every value reaches it as an argv entry, no shell.
 */
export function startGuest(hostNs: string, nic: GuestNic, steps: readonly string[]): RunningGuest {
  const child = spawn(
    'ip',
    ['netns', 'exec', hostNs, 'python3', SCRIPT, nic.tap, nic.mac, nic.ip4 ?? '-', nic.ip6 ?? '-', ...steps],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const results: StepResult[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((res) => (markReady = res));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const j = JSON.parse(line) as StepResult & { ready?: boolean };
    if (j.ready) markReady();
    else results.push(j);
  });
  const done = new Promise<{ code: number | null; steps: StepResult[]; stderr: string }>((res) =>
    child.on('close', (code) => {
      markReady(); // a guest that failed to open its tap is "ready" to be reported as failed
      res({ code, steps: results, stderr });
    }),
  );
  return { ready, done };
}

/** Runs a guest to its end. */
export const runGuest = (hostNs: string, nic: GuestNic, steps: readonly string[]) =>
  startGuest(hostNs, nic, steps).done;
