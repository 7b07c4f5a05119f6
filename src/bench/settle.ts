import { readFileSync } from 'node:fs';

/**
 * Waits until the machine is quiet again: after a cold apply of 1000 containers the kernel works
 * on for seconds (IPv6 duplicate address detection and multicast reports on 2000 new links), and
 * a step timed then measures that, not ctnet (a no-op plan of 1000: 1.3 s right after the apply,
 * 0.75 s once the host has settled). Quiet: under 10 % of the CPUs busy over two 250 ms windows
 * in a row; at most 15 s.
 */
const WINDOW_MS = 250;
const QUIET = 0.1;
const MAX_MS = 15_000;

function cpuTimes(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function settle(): Promise<number> {
  const t0 = Date.now();
  let quiet = 0;
  let prev = cpuTimes();
  while (quiet < 2 && Date.now() - t0 < MAX_MS) {
    await sleep(WINDOW_MS);
    const now = cpuTimes();
    const share = (now.busy - prev.busy) / Math.max(1, now.total - prev.total);
    quiet = share < QUIET ? quiet + 1 : 0;
    prev = now;
  }
  return (Date.now() - t0) / 1000;
}
