import type { CtnetError } from '../../model/errors.js';
import type { Cidr } from '../../model/ip.js';
import type { FieldPath, Manifest, ManifestSet, NetworkManifest } from '../types.js';
import { pathText } from '../schema.js';
import { parseIp } from './ip-text.js';

/** What a rule may know beyond the set of documents that passed the schema. */
export interface RuleContext {
  /**
   * `kind/name` of documents that are in the files but not in the set (a YAML or schema error
   * was reported for them): a reference to one is not a second, false, "unknown" error.
   */
  readonly rejected: ReadonlySet<string>;
}

/** A rule: one named check over the whole set; it returns every error it finds. */
export type Rule = (set: ManifestSet, ctx: RuleContext) => CtnetError[];

export function errorAt(m: Manifest, path: FieldPath, message: string): CtnetError {
  return { code: 'invalid', ...m.source.at(path), path: pathText(path), message };
}

/** `Container "ct1"`: how messages name an object. */
export const label = (m: Manifest): string => `${m.kind} "${m.metadata.name}"`;

/** Every interface of every container and VM, with the path to it, for rules that look across objects. */
export interface Attached {
  readonly m: Manifest;
  readonly path: FieldPath;
  /** The interface's name inside a container (default `eth<index>`), or a VM's explicit tap. */
  readonly name?: string;
  readonly network?: string;
  readonly device?: string;
  readonly mac?: string;
  readonly addresses: readonly string[];
}

export function attachments(set: ManifestSet): Attached[] {
  const out: Attached[] = [];
  for (const ct of set.containers) {
    (ct.spec.interfaces ?? []).forEach((i, n) => {
      out.push({
        m: ct,
        path: ['spec', 'interfaces', n],
        name: i.name ?? `eth${n}`,
        network: i.network,
        device: i.device,
        mac: i.mac,
        addresses: i.addresses ?? [],
      });
    });
  }
  for (const vm of set.vms) {
    (vm.spec.interfaces ?? []).forEach((i, n) => {
      out.push({
        m: vm,
        path: ['spec', 'interfaces', n],
        name: i.tap,
        network: i.network,
        mac: i.mac,
        addresses: i.addresses ?? [],
      });
    });
  }
  return out;
}

/** A network's gateways with their paths: `gateway` may be one address or a list. */
export function gateways(n: NetworkManifest): { readonly text: string; readonly path: FieldPath }[] {
  const g = n.spec.gateway;
  if (g === undefined) return [];
  if (typeof g === 'string') return [{ text: g, path: ['spec', 'gateway'] }];
  return g.map((text, i) => ({ text, path: ['spec', 'gateway', i] }));
}

/** The network's subnets that parse; `network-addresses` reports the others. */
export const subnetsOf = (n: NetworkManifest): Cidr[] =>
  (n.spec.subnets ?? [])
    .filter((s) => s.includes('/'))
    .map((s) => parseIp(s))
    .filter((c): c is Cidr => c !== undefined);

/** Networks by name; of two with one name (unique-names reports it) the first defined counts. */
export function networksByName(set: ManifestSet): ReadonlyMap<string, NetworkManifest> {
  const out = new Map<string, NetworkManifest>();
  for (const n of set.networks) if (!out.has(n.metadata.name)) out.set(n.metadata.name, n);
  return out;
}

/** Records who claimed a name first; `claim` returns the earlier claimant, if any. */
export class Claims {
  // a holder's description may read its source position, which parses the whole file: only
  // worth it when a second claim names the first, so it may be given as a function
  private readonly owners = new Map<string, string | (() => string)>();
  claim(key: string, who: string | (() => string)): string | undefined {
    const first = this.owners.get(key);
    if (first === undefined) this.owners.set(key, who);
    return typeof first === 'function' ? first() : first;
  }
  get(key: string): string | undefined {
    const first = this.owners.get(key);
    return typeof first === 'function' ? first() : first;
  }
}
