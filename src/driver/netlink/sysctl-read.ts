import { readFileSync } from 'node:fs';
import { sysctlPath } from '../sysctl.js';
import { inNetns } from './netns.js';

/**
 * Sysctls of a namespace read in-process: /proc/sys/net resolves against the namespace of the
 * thread that opens the file, so the reads run inside `inNetns` (synchronous, as it must be).
 * No `ip netns exec` process, which matters for a check that runs every few seconds. A key the
 * kernel lacks is absent; a namespace that cannot be entered throws.
 */
export function readSysctlsInProcess(netns: string | null, keys: readonly string[]): Record<string, string> {
  const read = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const k of keys) {
      try {
        out[k] = readFileSync(sysctlPath(k), 'utf8').trim();
      } catch {
        // the interface went away, or an invalid key: absent, as the observation has it
      }
    }
    return out;
  };
  return netns === null ? read() : inNetns(netns, read);
}
