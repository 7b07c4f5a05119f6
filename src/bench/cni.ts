import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contestant } from './contestant.js';
import { BRIDGE, BRIDGE_GATEWAY, BRIDGE_SUBNET, ROUTED_SUBNET, type Ct, type Layout } from './layout.js';
import { runPeerScripts } from './peer-run.js';
import { CNI_PATH } from './peers.js';
import { dropDir, tempDir } from './sandbox.js';

/**
 * Debian's reference CNI plugins on the same containers: `ptp` for the routed half, `bridge` for
 * the bridged half, host-local IPAM (ranges starting at the layout's first address, so the
 * sequential allocation gives every container the layout's address), a default route each.
 * One plugin process per container, as a runtime calls them, from one shell script run under
 * `ip netns exec HOST` (a runtime runs in the host: no extra `ip netns exec` per container).
 * Timed setup = the namespaces (one `ip -batch`) + every ADD; teardown = every DEL + the
 * namespaces + the bridge (DEL leaves it). ptp puts no proxy ARP entry on the uplink and bridge
 * does not enslave one: those two objects are the layout's and not CNI's.
 */
function conf(type: 'ptp' | 'bridge', first: Ct | undefined, dataDir: string): string {
  const bridge = type === 'bridge';
  const range = {
    subnet: bridge ? BRIDGE_SUBNET : ROUTED_SUBNET,
    rangeStart: first?.addr,
    ...(bridge ? { gateway: BRIDGE_GATEWAY } : {}),
  };
  const ipam = { type: 'host-local', ranges: [[range]], routes: [{ dst: '0.0.0.0/0' }], dataDir };
  const extra = bridge ? { bridge: BRIDGE, isGateway: true } : {};
  return JSON.stringify({ cniVersion: '1.0.0', name: `bench-${type}`, type, ipMasq: false, mtu: 1500, ...extra, ipam });
}

function script(cmd: 'ADD' | 'DEL', lay: Layout, dir: string): string {
  const lines = lay.cts.map((c) => {
    const type = c.mode === 'routed' ? 'ptp' : 'bridge';
    const env = `CNI_COMMAND=${cmd} CNI_CONTAINERID=${c.ns} CNI_NETNS=/run/netns/${c.ns} CNI_IFNAME=${c.ifname} CNI_PATH=${CNI_PATH}`;
    return `${env} ${join(CNI_PATH, type)} < ${join(dir, `${type}.json`)} > /dev/null`;
  });
  return ['set -e', ...lines].join('\n') + '\n';
}

export const cni: Contestant = {
  name: 'cni',
  tag: 'cn',
  async run(lay, report) {
    const dir = tempDir('cni');
    try {
      const routed = lay.cts.find((c) => c.mode === 'routed');
      const bridged = lay.cts.find((c) => c.mode === 'bridge');
      writeFileSync(join(dir, 'ptp.json'), conf('ptp', routed, join(dir, 'ipam')));
      writeFileSync(join(dir, 'bridge.json'), conf('bridge', bridged, join(dir, 'ipam')));
      writeFileSync(join(dir, 'setup.sh'), script('ADD', lay, dir));
      writeFileSync(join(dir, 'teardown.sh'), script('DEL', lay, dir));
      // DEL leaves the bridge
      await runPeerScripts(lay, dir, report, [`link del dev ${BRIDGE}`]);
    } finally {
      dropDir(dir);
    }
  },
};
