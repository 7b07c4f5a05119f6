import { ok, type Result } from '../model/errors.js';
import type { ObservedState } from '../model/kernel.js';
import type { EngineConfig } from '../engine/types.js';
import type { ImportDoc, ImportResult } from './doc.js';
import { bridgeNetworks } from './kernel-bridges.js';
import { containerDocs, type Joins } from './kernel-containers.js';
import { readKernel } from './kernel-read.js';
import { routedAddresses, routedNetwork } from './kernel-routed.js';
import { hostPairs, type VethPair } from './kernel-view.js';

/** The routed interfaces (veths on no bridge the host routes addresses to), keyed by host end. */
function routedJoins(o: ObservedState, pairs: readonly VethPair[], taken: Set<string>) {
  const addresses = new Map<string, readonly string[]>();
  for (const p of pairs) {
    const a = routedAddresses(o, p);
    if (a) addresses.set(p.host.name, a);
  }
  if (!addresses.size) return { docs: [] as ImportDoc[] };
  const doc = routedNetwork(o, [...addresses.values()].flat(), taken);
  return { docs: [doc], routed: { name: doc.name, addresses } };
}

/** The manifests describing an observation: networks first (bridges, then the routed one), then containers. */
export function describeKernel(
  o: ObservedState,
  namespaces: readonly string[],
  hostNetns: string | null,
): ImportResult {
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  const pairs = hostPairs(o, namespaces);
  const networkNames = new Set<string>();
  const bridges = bridgeNetworks(o, pairs, networkNames, warn);
  const routed = routedJoins(o, pairs, networkNames);
  const joins: Joins = { bridges, routed: routed.routed };
  const containers = containerDocs(o, namespaces, pairs, joins, new Set(), warn);
  const docs = [...[...bridges.values()].map((b) => b.doc), ...routed.docs, ...containers];
  const where = hostNetns ? `namespace ${hostNetns} (playing the host)` : 'the host';
  const header = [
    `ctnet import kernel: ${where}${namespaces.length ? ` and namespaces ${namespaces.join(', ')}` : ''}.`,
    'Apply with `ctnet apply --adopt FILE`: ctnet then owns these objects (links whole: addresses and routes',
    'not listed here are removed as drift), and gives veth host ends names of its own (the pairs are made again).',
  ];
  return { docs, warnings, header };
}

/**
 * `ctnet import kernel [--netns NAME...]`: an existing host, built by hand, as manifests (as
 * `nmstatectl show` gives nmstate's): bridges with their ports and addresses, and namespaces with
 * their veths to the host, addresses and routes. Read through the engine's observation; changes nothing.
 */
export async function importKernel(c: EngineConfig, netns: readonly string[]): Promise<Result<ImportResult>> {
  const read = await readKernel(c, netns);
  if (!read.ok) return read;
  const r = describeKernel(read.value.observed, read.value.namespaces, c.hostNetns);
  return ok({ ...r, warnings: [...read.value.notices, ...r.warnings] });
}
