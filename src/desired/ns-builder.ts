import type { AddressObj, LinkObj, NeighborObj, RouteObj } from '../model/kernel.js';
import { addressKey, linkKey, neighborKey, routeKey } from '../model/kernel.js';
import type { DesiredNs, Owned, Owner } from '../model/desired.js';

/**
 * Collects the desired objects of one namespace. The same object asked for twice (a sysctl
 * every routed network needs) is kept once, with its first owner; sorting by key makes the
 * result independent of manifest order.
 */
export class NsBuilder {
  private readonly links = new Map<string, Owned<LinkObj>>();
  private readonly addresses = new Map<string, Owned<AddressObj>>();
  private readonly routes = new Map<string, Owned<RouteObj>>();
  private readonly neighbors = new Map<string, Owned<NeighborObj>>();
  private readonly sysctls = new Map<string, Owned<{ key: string; value: string }>>();

  link(owner: Owner, obj: LinkObj): void {
    put(this.links, linkKey(obj), { owner, obj });
  }
  address(owner: Owner, obj: AddressObj): void {
    put(this.addresses, addressKey(obj), { owner, obj });
  }
  route(owner: Owner, obj: RouteObj): void {
    put(this.routes, routeKey(obj), { owner, obj });
  }
  neighbor(owner: Owner, obj: NeighborObj): void {
    put(this.neighbors, neighborKey(obj), { owner, obj });
  }
  readonly conflicts: { owner: Owner; field: string; message: string }[] = [];

  sysctl(owner: Owner, key: string, value: string): void {
    const had = this.sysctls.get(key);
    if (had && had.obj.value !== value) {
      this.conflicts.push({ owner, field: 'spec.sysctls', message: `sysctl ${key}=${value} contradicts ${had.owner}, which needs ${key}=${had.obj.value}` });
    }
    put(this.sysctls, key, { owner, obj: { key, value } });
  }

  build(): DesiredNs {
    return {
      links: sorted(this.links),
      addresses: sorted(this.addresses),
      routes: sorted(this.routes),
      neighbors: sorted(this.neighbors),
      sysctls: sorted(this.sysctls),
    };
  }
}

function put<T>(map: Map<string, T>, key: string, value: T): void {
  if (!map.has(key)) map.set(key, value);
}

function sorted<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
