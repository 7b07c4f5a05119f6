import type { AddressObj, LinkObj, NeighborObj, RouteObj } from './kernel.js';

/** Who asked for an object: `container/ct101`, `network/lan`, `host/default`. */
export type Owner = string;

export interface Owned<T> {
  readonly obj: T;
  readonly owner: Owner;
}

export interface DesiredNs {
  readonly links: readonly Owned<LinkObj>[];
  readonly addresses: readonly Owned<AddressObj>[];
  readonly routes: readonly Owned<RouteObj>[];
  readonly neighbors: readonly Owned<NeighborObj>[];
  readonly sysctls: readonly Owned<{ key: string; value: string }>[];
}

/**
 * The kernel as the manifests want it. Foreign interfaces that the manifests lean on
 * (a bridge uplink to enslave, a routed uplink to publish on) are listed in `uses`,
 * so the planner can check they exist and are not protected before anything changes.
 */
export interface DesiredState {
  readonly host: DesiredNs;
  /** Namespaces ctnet creates and owns, with what goes inside them. */
  readonly namespaces: Readonly<Record<string, DesiredNs & { readonly owner: Owner }>>;
  readonly uses: readonly { readonly dev: string; readonly role: 'uplink' | 'port'; readonly owner: Owner; readonly field: string }[];
  readonly protectedInterfaces: readonly string[];
  /** Manifests that ask for contradicting values of one object (a sysctl set two ways). */
  readonly conflicts: readonly { readonly owner: Owner; readonly field?: string; readonly message: string }[];
}
