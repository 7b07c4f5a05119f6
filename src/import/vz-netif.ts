import { isMulticastMac, MAC_RE } from '../model/ip.js';
import { lookup } from '../model/lookup.js';
import type { VzVar, Warn } from './vz-conf.js';

/** One veth of NETIF: `ifname=eth0,mac=...,host_ifname=veth101.0,host_mac=...,bridge=vmbr0`. */
export interface VzNetif {
  readonly ifname: string;
  /** Lower case, as the kernel prints it. */
  readonly mac?: string;
  readonly hostIfname?: string;
  readonly hostMac?: string;
  readonly bridge?: string;
}

/** An interface name the kernel takes: 1 to 15 characters, no "/" or space, not "." or "..". */
export const isIfname = (s: string): boolean => /^[A-Za-z0-9_.-]{1,15}$/.test(s) && s !== '.' && s !== '..';

/** Keys vzctl writes that say nothing ctnet's manifests hold (vzctl 4's per-interface settings). */
const IGNORED = new Set(['mac_filter', 'network', 'configure', 'dhcp', 'dhcp6', 'gw', 'gw6', 'ip']);

const goodMac = (m: string): boolean => MAC_RE.test(m) && !isMulticastMac(m) && !/^(00:){5}00$/.test(m);

type Fields = Record<string, string>;

/** `k=v,k=v` into fields; undefined (and a warning) when a part has no "=". */
function fieldsOf(entry: string, warn: (m: string) => void): Fields | undefined {
  const out: Fields = {};
  for (const part of entry.split(',').map((p) => p.trim())) {
    const eq = part.indexOf('=');
    if (eq <= 0) return void warn(`NETIF entry "${entry}": "${part}" is not key=value: entry skipped`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function netifOf(entry: string, f: Fields, warn: (m: string) => void): VzNetif | undefined {
  for (const k of Object.keys(f))
    if (!['ifname', 'mac', 'host_ifname', 'host_mac', 'bridge'].includes(k) && !IGNORED.has(k))
      warn(`NETIF entry "${entry}": unknown key "${k}" ignored`);
  const ifname = lookup(f, 'ifname');
  if (ifname === undefined) return void warn(`NETIF entry "${entry}" has no ifname=: entry skipped`);
  if (!isIfname(ifname))
    return void warn(`NETIF entry "${entry}": "${ifname}" is not an interface name: entry skipped`);
  const mac = (key: string): string | undefined => {
    const m = lookup(f, key)?.toLowerCase();
    if (m && !goodMac(m)) warn(`NETIF entry "${entry}": ${key} "${f[key]}" is not a unicast MAC: ignored`);
    return m && goodMac(m) ? m : undefined;
  };
  const bridge = f.bridge || undefined;
  if (bridge && !isIfname(bridge)) warn(`NETIF entry "${entry}": bridge "${bridge}" is not an interface name: ignored`);
  return {
    ifname,
    mac: mac('mac'),
    hostIfname: f.host_ifname || undefined,
    hostMac: mac('host_mac'),
    bridge: bridge && isIfname(bridge) ? bridge : undefined,
  };
}

/**
 * NETIF: veth entries separated by ";", each `key=value` pairs separated by ",". A malformed
 * entry (no ifname, a part without "=") is skipped with a warning on NETIF's line; the others stay.
 */
export function parseNetif(v: VzVar, warn: Warn): VzNetif[] {
  const out: VzNetif[] = [];
  for (const entry of v.value
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const w = (m: string): void => warn(v.line, m);
    const f = fieldsOf(entry, w);
    const n = f && netifOf(entry, f, w);
    if (!n) continue;
    if (out.some((o) => o.ifname === n.ifname)) w(`NETIF: a second entry for ${n.ifname}: skipped`);
    else out.push(n);
  }
  return out;
}
