import { libcProblem } from '../driver/netlink/libc.js';
import { dumpChunks, messagesOf } from '../driver/netlink/observe-ns.js';
import { NetlinkSocket } from '../driver/netlink/socket.js';
import { readSysctlsInProcess } from '../driver/netlink/sysctl-read.js';
import { run } from '../driver/spawn.js';
import { promised } from '../model/promised.js';
import { readSysctls } from '../driver/sysctl.js';

/** Recorded sysctl keys by namespace (null: the host). */
export type SysctlTargets = ReadonlyMap<string | null, readonly string[]>;

/**
 * Fingerprints by namespace, `''` for the host (its proxy entries and its sysctls): equal strings,
 * equal state. A namespace whose fingerprint changed is the one to read again.
 */
export type ProbeView = Readonly<Record<string, string>>;

export interface ProbeReader {
  /** The host's proxy entries and the given sysctls. */
  read(targets: SysctlTargets): Promise<ProbeView>;
  close(): void;
}

/**
 * Reads what raises no kernel event, as cheaply as this host allows. With the netlink binding:
 * one proxy-neighbour dump on a socket kept open in the host namespace, and sysctls read
 * in-process in each namespace, no process at all. Without it: one `ip neigh show proxy` and the
 * host's sysctls only (a process per container namespace every few seconds would not be cheap;
 * the resync covers those).
 */
export function makeProbeReader(hostNetns: string | null): ProbeReader {
  return libcProblem() === undefined ? netlinkReader(hostNetns) : iproute2Reader(hostNetns);
}

function netlinkReader(hostNetns: string | null): ProbeReader {
  let sock: NetlinkSocket | undefined;
  const readNow = (targets: SysctlTargets): ProbeView => {
    const view: Record<string, string> = {};
    try {
      sock ??= NetlinkSocket.open(hostNetns);
      // the raw entries are enough to compare: family, flags, ifindex, address, protocol
      view[''] = messagesOf(dumpChunks(sock, 'neigh'))
        .map((m) => m.body.toString('hex'))
        .sort()
        .join('\n');
    } catch (e) {
      sock?.close();
      sock = undefined;
      throw e;
    }
    for (const [ns, keys] of targets) {
      let values: Record<string, string>;
      try {
        values = readSysctlsInProcess(ns ?? hostNetns, keys);
      } catch {
        values = { gone: '' }; // a namespace that cannot be entered (deleted): that is a difference too
      }
      const key = ns ?? '';
      view[key] = `${view[key] ?? ''}\n${JSON.stringify(values)}`;
    }
    return view;
  };
  return {
    read: (targets) => promised(() => readNow(targets)),
    close() {
      sock?.close();
      sock = undefined;
    },
  };
}

function iproute2Reader(hostNetns: string | null): ProbeReader {
  return {
    async read(targets) {
      const r = await run('ip', [...(hostNetns ? ['-n', hostNetns] : []), 'neigh', 'show', 'proxy']);
      if (r.code !== 0) throw new Error(`ip neigh show proxy: ${r.stderr.trim() || `exit ${r.code}`}`);
      const host = targets.get(null) ?? [];
      const values = host.length ? await readSysctls(hostNetns, host) : {};
      return { '': `${r.stdout.split('\n').sort().join('\n')}\n${JSON.stringify(values)}` };
    },
    close: () => undefined,
  };
}
