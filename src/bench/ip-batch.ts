import { availableParallelism } from 'node:os';
import { pool } from '../driver/spawn.js';
import type { Contestant } from './contestant.js';
import type { Ct, Layout } from './layout.js';
import { ipBatch, since } from './proc.js';

/**
 * The `ip -batch` peer (issue 15's floor, kept as a peer since the physical floor of issue 24): the same objects written by hand as one `ip -batch` for the
 * namespaces, one for the host, then one per container namespace, namespaces in parallel as far
 * as the cores allow (twice the cores: each `ip` also waits on the kernel). The objects are
 * ctnet's (veth made with its peer in place, up and master in the same `link add`, addresses,
 * routes, proxy entries) without ctnet's marks, sysctls and nft table. Teardown deletes the proxy
 * entries (they live on the uplink, which stays), the namespaces (their veths and routes go with
 * them) and the bridge. `ip-per-op.ts` renders the same lines as one `ip` process each.
 */
const PARALLEL = 2 * availableParallelism();

export function hostLines(lay: Layout): string[] {
  const routed = lay.cts.filter((c) => c.mode === 'routed');
  const bridged = lay.cts.filter((c) => c.mode === 'bridge');
  return [
    ...routed.flatMap((c) => [
      `link add name ${c.veth} mtu 1500 up type veth peer name ${c.ifname} netns ${c.ns} mtu 1500`,
      `address add 169.254.0.1/32 dev ${c.veth}`,
      `route add ${c.addr}/32 dev ${c.veth} proto 241`,
      `neigh add proxy ${c.addr} dev up0 protocol 241`,
    ]),
    ...lay.lans.flatMap((l) => [
      `link add name ${l.bridge} up type bridge`,
      ...(l.uplink ? [`link set dev ${l.uplink} master ${l.bridge}`] : []),
      `address add ${l.gateway}/16 broadcast + dev ${l.bridge}`,
    ]),
    ...bridged.map(
      (c) =>
        `link add name ${c.veth} mtu 1500 master ${c.lan!.bridge} up type veth peer name ${c.ifname} netns ${c.ns} mtu 1500`,
    ),
  ];
}

export function containerLines(c: Ct): string[] {
  const gw = c.lan ? `${c.lan.gateway} dev ${c.ifname}` : `169.254.0.1 dev ${c.ifname} onlink`;
  const bcast = c.mode === 'routed' ? '' : ' broadcast +';
  return [
    'link set dev lo up',
    `link set dev ${c.ifname} up`,
    `address add ${c.addr}/${c.plen}${bcast} dev ${c.ifname}`,
    `route add default via ${gw} proto 241`,
  ];
}

export function teardownHostLines(lay: Layout): string[] {
  return lay.cts.filter((c) => c.mode === 'routed').map((c) => `neigh del proxy ${c.addr} dev up0`);
}

export const ipBatchFloor: Contestant = {
  name: 'ip-batch',
  tag: 'fl',
  async run(lay, report) {
    let t0 = process.hrtime.bigint();
    await ipBatch(
      null,
      lay.cts.map((c) => `netns add ${c.ns}`),
    );
    await ipBatch(lay.host, hostLines(lay));
    await pool(lay.cts, PARALLEL, (c) => ipBatch(c.ns, containerLines(c)));
    report({ step: 'apply', s: since(t0) });
    t0 = process.hrtime.bigint();
    await ipBatch(lay.host, teardownHostLines(lay));
    await ipBatch(
      null,
      lay.cts.map((c) => `netns del ${c.ns}`),
    );
    await ipBatch(
      lay.host,
      lay.lans.map((l) => `link del dev ${l.bridge}`),
    );
    report({ step: 'destroy', s: since(t0) });
  },
};
