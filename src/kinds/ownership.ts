import { recordsOfKind, type Inventory, type ObjectRecord } from '../model/inventory.js';
import { lookup } from '../model/lookup.js';
import { keyId, type ObjectKey } from '../model/keys.js';
import { CTNET_PROTO, type LinkObj, type NsRef, type ObservedState } from '../model/kernel.js';
import { markedOwner } from '../model/marker.js';

/**
 * Who owns what, from the inventory's records and this instance's kernel markers: the one place
 * both the planner and the rebuild of a lost inventory ask.
 */
export class Ownership {
  private readonly links = new Map<string, LinkObj>();
  private readonly hostByIfindex = new Map<number, LinkObj>();
  private readonly netnsById = new Map<number, string>();
  /**
   * The inventory's records in a Map: a lookup by a computed key id is several times faster than on a 10 000-key
   * object.
   */
  /** Per namespace: the device of ctnet's (protocol 241) route to each address; built on first use. */
  private ctnetRoutes?: Map<string, string | undefined>;

  constructor(
    readonly observed: ObservedState,
    readonly inventory: Inventory,
    readonly legacyMarks: boolean,
  ) {
    for (const [ns, objs] of [[null, observed.host] as const, ...Object.entries(observed.namespaces)]) {
      for (const l of objs.links) this.links.set(`${ns ?? ''}\u0000${l.name}`, l);
    }
    for (const l of observed.host.links) if (l.ifindex !== undefined) this.hostByIfindex.set(l.ifindex, l);
    for (const [name, id] of Object.entries(observed.netnsIds ?? {})) this.netnsById.set(id, name);
  }

  get instance(): string {
    return this.inventory.instance;
  }

  record(key: ObjectKey): ObjectRecord | undefined {
    return lookup(this.inventory.objects, keyId(key));
  }

  /** Every record of one kind, by key id. */
  recorded(kind: string): [string, ObjectRecord][] {
    return [...recordsOfKind(this.inventory, kind)];
  }

  /** A host link by its ifindex: how a container's veth end names its peer. */
  hostLinkAt(ifindex: number | undefined): LinkObj | undefined {
    return ifindex === undefined ? undefined : this.hostByIfindex.get(ifindex);
  }

  /** The named namespace the host numbers `id`. */
  netnsOfId(id: number | undefined): string | undefined {
    return id === undefined ? undefined : this.netnsById.get(id);
  }

  /** The device ctnet's route to `address` (any prefix) goes through in `ns`: how a proxy entry finds its owner. */
  ctnetRouteDev(ns: NsRef, address: string): string | undefined {
    if (!this.ctnetRoutes) {
      this.ctnetRoutes = new Map();
      for (const [n, objs] of [[null, this.observed.host] as const, ...Object.entries(this.observed.namespaces)]) {
        for (const r of objs.routes) {
          const k = `${n ?? ''}\u0000${r.dst.split('/')[0]}`;
          // the first one, as a scan of the routes in dump order finds it
          if (r.protocol === CTNET_PROTO && !this.ctnetRoutes.has(k)) this.ctnetRoutes.set(k, r.dev);
        }
      }
    }
    return this.ctnetRoutes.get(`${ns ?? ''}\u0000${address}`);
  }

  observedLink(ns: NsRef, name: string): LinkObj | undefined {
    return this.links.get(`${ns ?? ''}\u0000${name}`);
  }

  linkOwner(ns: NsRef, dev: string | undefined): string | undefined {
    if (dev === undefined) return undefined;
    return (
      this.record({ kind: 'link', ns, name: dev })?.owner ??
      markedOwner(this.observedLink(ns, dev)?.alias, this.instance, this.legacyMarks)
    );
  }

  /** Never the namespace playing the host or the one ctnet runs in, whatever marks say. */
  netnsOwner(name: string): string | undefined {
    if ((this.observed.reservedNetns ?? []).includes(name)) return undefined;
    return (
      this.record({ kind: 'netns', ns: null, name })?.owner ??
      markedOwner(this.observedLink(name, 'lo')?.alias, this.instance, this.legacyMarks)
    );
  }
}
