import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contestant } from './contestant.js';
import { BRIDGE, BRIDGE_GATEWAY, type Ct, type Layout } from './layout.js';
import { runPeerScripts } from './peer-run.js';
import { netavarkPath } from './peers.js';
import { dropDir, tempDir } from './sandbox.js';

/**
 * netavark (Debian's 1.4.0) on the same containers, all bridged: it has no routed mode. One
 * `netavark setup` per container with podman's network options on stdin, from one shell script
 * under `ip netns exec HOST`, so it never sees the real host. No firewall: 1.4 has no `none`
 * driver (`NETAVARK_FW` takes iptables, nftables or firewalld; `none` came later), and an
 * `internal` network is the one way it writes no rules; internal also means no default route
 * in the container. DNS (aardvark) is off. Timed setup = the namespaces (one `ip -batch`) +
 * every setup; teardown = every teardown (the last one removes the bridge) + the namespaces.
 */
const hex64 = (s: string): string => Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64);

function options(c: Ct): string {
  const network = {
    name: 'bench',
    id: hex64('bench-network'),
    driver: 'bridge',
    network_interface: BRIDGE,
    // /8 holds the routed half's addresses too: netavark builds them all bridged
    subnets: [{ subnet: '10.0.0.0/8', gateway: BRIDGE_GATEWAY }],
    ipv6_enabled: false,
    internal: true,
    dns_enabled: false,
    ipam_options: { driver: 'host-local' },
  };
  return JSON.stringify({
    container_id: hex64(c.ns),
    container_name: c.name,
    networks: { bench: { interface_name: 'eth0', static_ips: [c.addr] } },
    network_info: { bench: network },
    port_mappings: null,
  });
}

function script(cmd: 'setup' | 'teardown', lay: Layout, dir: string, bin: string): string {
  const lines = lay.cts.map(
    (c) =>
      `${bin} --config ${join(dir, 'config')} ${cmd} /run/netns/${c.ns} < ${join(dir, `${c.ns}.json`)} > /dev/null`,
  );
  return ['set -e', 'export NETAVARK_FW=iptables', ...lines].join('\n') + '\n';
}

export const netavark: Contestant = {
  name: 'netavark',
  tag: 'nv',
  async run(lay, report) {
    const dir = tempDir('netavark');
    const bin = netavarkPath();
    if (!bin) throw new Error('netavark not found');
    try {
      for (const c of lay.cts) writeFileSync(join(dir, `${c.ns}.json`), options(c));
      for (const cmd of ['setup', 'teardown'] as const)
        writeFileSync(join(dir, `${cmd}.sh`), script(cmd, lay, dir, bin));
      await runPeerScripts(lay, dir, report);
    } finally {
      dropDir(dir);
    }
  },
};
