import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ct, ROUTED_SUBNET, type Ct, type Lan, type Layout } from './layout.js';

/**
 * ctnet's manifests for a layout: `nets.yaml` (a routed network on `up0`, a bridge network on
 * `up1`, more bridge networks past 2000 containers), `cts.yaml` (the N containers) and, for the add-one step, `add.yaml` (container N).
 */
const ROUTED = `apiVersion: ctnet/v1
kind: Network
metadata: {name: pub}
spec: {type: routed, subnets: [${ROUTED_SUBNET}], uplink: up0}
`;

const bridged = (l: Lan): string => `apiVersion: ctnet/v1
kind: Network
metadata: {name: ${l.network}}
spec: {type: bridge, subnets: [${l.subnet}], gateway: ${l.gateway}, bridge: ${l.bridge}${l.uplink ? `, uplink: ${l.uplink}` : ''}}
`;

export function containerDoc(c: Ct, addr = c.addr): string {
  const a = c.mode === 'routed' ? addr : `${addr}/${c.plen}`;
  const net = c.lan ? c.lan.network : 'pub';
  return `apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: ${c.name}}\nspec: {netns: ${c.ns}, interfaces: [{name: ${c.ifname}, network: ${net}, addresses: [${a}]}]}\n`;
}

/** Writes the N containers; with `changed`, container 0 holds `changed` instead of its address. */
export function writeContainers(dir: string, lay: Layout, changed?: string): void {
  const docs = lay.cts.map((c) => containerDoc(c, c.i === 0 && changed ? changed : c.addr));
  writeFileSync(join(dir, 'cts.yaml'), docs.join('---\n'));
}

export function writeManifests(dir: string, lay: Layout): void {
  writeFileSync(join(dir, 'nets.yaml'), [ROUTED, ...lay.lans.map(bridged)].join('---\n'));
  writeContainers(dir, lay);
}

/** The container added to N (index N, bridged), written as `add.yaml` (or `name`). */
export function writeAdded(dir: string, lay: Layout, index = lay.n, name = 'add.yaml'): Ct {
  const added = ct(lay.nsPrefix, lay.n, index);
  writeFileSync(join(dir, name), containerDoc(added));
  return added;
}
