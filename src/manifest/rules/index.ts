import type { Rule } from './helpers.js';
import { uniqueNames } from './unique-names.js';
import { netns } from './netns.js';
import { networkRefs } from './network-refs.js';
import { interfaceTarget } from './interface-target.js';
import { drivers } from './drivers.js';
import { networkAddresses } from './network-addresses.js';
import { addresses } from './addresses.js';
import { duplicateAddresses } from './duplicate-addresses.js';
import { interfaceNames } from './interface-names.js';
import { macs } from './macs.js';
import { devices } from './devices.js';
import { uplinks } from './uplinks.js';
import { bridgePorts } from './bridge-ports.js';
import { protectedInterfaces } from './protected.js';
import { routes } from './routes.js';
import { hostNames } from './host-names.js';
import { nat } from './nat.js';
import { vmAddresses } from './vm-addresses.js';
import { sysctlKeys } from './sysctl-keys.js';
import { overlaps } from './overlaps.js';
import { edgeAddresses } from './edge-addresses.js';
import { nodes } from './nodes.js';
import { spanning } from './spanning.js';

export interface NamedRule {
  readonly name: string;
  readonly check: Rule;
  /** Needs every document of the world: off for a partial set (`destroy PATH`). */
  readonly complete?: boolean;
  /** About what one host holds alone: with Node manifests, checked on each node's slice. */
  readonly perNode?: boolean;
}

/** The semantic rules, run in this order on the documents whose shape the schema accepted. */
export const RULES: readonly NamedRule[] = [
  { name: 'unique-names', check: uniqueNames },
  { name: 'netns', check: netns, perNode: true },
  { name: 'network-refs', check: networkRefs, complete: true },
  { name: 'interface-target', check: interfaceTarget },
  { name: 'drivers', check: drivers },
  { name: 'network-addresses', check: networkAddresses },
  { name: 'overlaps', check: overlaps },
  { name: 'addresses', check: addresses },
  { name: 'edge-addresses', check: edgeAddresses },
  { name: 'duplicate-addresses', check: duplicateAddresses },
  { name: 'interface-names', check: interfaceNames },
  { name: 'macs', check: macs },
  { name: 'devices', check: devices, perNode: true },
  { name: 'uplinks', check: uplinks, perNode: true },
  { name: 'bridge-ports', check: bridgePorts, perNode: true },
  { name: 'protected', check: protectedInterfaces, perNode: true },
  { name: 'routes', check: routes },
  { name: 'host-names', check: hostNames, perNode: true },
  { name: 'nat', check: nat },
  { name: 'vm-addresses', check: vmAddresses },
  { name: 'sysctl-keys', check: sysctlKeys },
  { name: 'nodes', check: nodes, complete: true },
  { name: 'spanning', check: spanning, complete: true },
];
