import type { NsRef } from './kernel.js';
import { append } from './multimap.js';

/**
 * What ctnet remembers between runs (`state.json`, version 2): every object this instance
 * created or adopted, with its owner, and what it must put back one day.
 */
export interface ObjectRecord {
  readonly owner: string;
  /** Sysctls: the value found before ctnet first changed it. */
  readonly original?: string;
  /** Sysctls: values a global switch rewrote as a side effect (`ip_forward` → `conf.*.forwarding`). */
  readonly sideEffects?: Readonly<Record<string, string>>;
  /** Ports (an uplink enslaved to a bridge): its admin state and master before ctnet enslaved it. */
  readonly wasUp?: boolean;
  readonly wasMaster?: string | null;
  /** Moved devices (passthrough): what to give back when the device returns to the host. */
  readonly device?: { readonly name: string; readonly mac?: string; readonly mtu?: number; readonly up?: boolean };
  /** A runtime's namespace ctnet named (netns by path): what the name points to. */
  readonly path?: string;
  /** Address allocations: the addresses handed out to this owner, kept across runs. */
  readonly allocated?: readonly string[];
}

/** `ctnet set` without `--save` on one interface: manifest addresses removed and addresses added. */
export interface AddressOverride {
  readonly add: readonly string[];
  readonly del: readonly string[];
}

/**
 * A container's runtime override (vzctl's unsaved --ipadd/--ipdel): a delta against its manifest,
 * so later manifest edits still show through. It lasts while the namespace it was made in does:
 * `netnsInode` is that namespace's identity, and a namespace seen with another one (or missing)
 * was recreated, as a restarted container forgets unsaved addresses.
 */
export interface ContainerOverride {
  readonly netns: string;
  readonly netnsInode?: number;
  /** By interface name inside the container. */
  readonly interfaces: Readonly<Record<string, AddressOverride>>;
  readonly since: string;
}

export interface Inventory {
  readonly version: 2;
  /** The instance's identity, carried by its kernel markers. */
  readonly instance: string;
  /** Records keyed by object key id (`keyId`). */
  readonly objects: Readonly<Record<string, ObjectRecord>>;
  /** Digest and time of the last manifests applied, for `status` and `watch`. */
  readonly lastApplied?: { readonly digest: string; readonly at: string; readonly files: readonly string[] };
  /** Runtime overrides by container name (`ctnet set` without `--save`); optional, so still version 2. */
  readonly overrides?: Readonly<Record<string, ContainerOverride>>;
}

export const emptyInventory = (instance: string): Inventory => ({ version: 2, instance, objects: {} });

/** Records are never changed in place (a plan makes a new inventory): each one's grouping is made once. */
const byKind = new WeakMap<Inventory['objects'], ReadonlyMap<string, readonly [string, ObjectRecord][]>>();

/**
 * The records of one kind (the first word of their ids: `netns`, `sysctl`, `allocation`), by id.
 * Thousands of records are read by several steps of each run: grouped once per inventory.
 */
export function recordsOfKind(inv: Inventory, kind: string): readonly [string, ObjectRecord][] {
  let groups = byKind.get(inv.objects);
  if (!groups) {
    const g = new Map<string, [string, ObjectRecord][]>();
    for (const [id, r] of Object.entries(inv.objects)) append(g, id.slice(0, id.indexOf(' ')), [id, r]);
    byKind.set(inv.objects, (groups = g));
  }
  return groups.get(kind) ?? [];
}

/** Namespaces the inventory records, with their owners. */
export function recordedNetns(inv: Inventory): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, r] of recordsOfKind(inv, 'netns')) out[id.slice('netns '.length)] = r.owner;
  return out;
}

/** Host sysctls ctnet changed, with the values they had before. */
export function recordedSysctls(inv: Inventory, ns: NsRef = null): Record<string, ObjectRecord> {
  const prefix = `sysctl ${ns === null ? 'host' : `netns:${ns}`} `;
  const out: Record<string, ObjectRecord> = {};
  for (const [id, r] of recordsOfKind(inv, 'sysctl')) if (id.startsWith(prefix)) out[id.slice(prefix.length)] = r;
  return out;
}
