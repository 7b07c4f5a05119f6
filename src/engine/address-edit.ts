import type { ContainerInterface, ContainerManifest, ManifestSet } from '../manifest/types.js';
import type { AddressOverride, ContainerOverride } from '../model/inventory.js';
import { parseCidr } from '../model/ip.js';
import { lookup } from '../model/lookup.js';

/**
 * vzctl's `--ipadd`/`--ipdel` as data. `--ipdel` runs first, so `--ipdel all --ipadd X` leaves X
 * alone, as vzctl does. `reset` drops the container's runtime override.
 */
export interface AddressEdit {
  readonly container: string;
  /** The interface inside the container; default: its first on a routed network. */
  readonly iface?: string;
  readonly ipadd: readonly string[];
  readonly ipdel: readonly string[] | 'all';
  readonly reset?: boolean;
}

/** Addresses compare by canonical address, whatever the prefix or spelling (`2001:DB8::1`). */
export const canon = (text: string): string => parseCidr(text)?.address ?? text;
const has = (list: readonly string[], a: string): boolean => list.some((x) => canon(x) === canon(a));

/** The list after the edit: removals first, then additions not already there (an add is idempotent). */
export function editList(list: readonly string[], e: AddressEdit): string[] {
  const kept = e.ipdel === 'all' ? [] : list.filter((a) => !has(e.ipdel as readonly string[], a));
  return [...kept, ...e.ipadd.filter((a, i) => !has(kept, a) && !has(e.ipadd.slice(0, i), a))];
}

/** What the container's interface holds: the manifest's addresses with the override's delta. */
export function effective(manifest: readonly string[], o: AddressOverride | undefined): string[] {
  if (!o) return [...manifest];
  return [...manifest.filter((a) => !has(o.del, a)), ...o.add.filter((a) => !has(manifest, a))];
}

/** The delta that turns the manifest's list into `wanted`; empty when they hold the same addresses. */
export function deltaOf(manifest: readonly string[], wanted: readonly string[]): AddressOverride | undefined {
  const add = wanted.filter((a) => !has(manifest, a));
  const del = manifest.filter((a) => !has(wanted, a));
  return add.length || del.length ? { add, del } : undefined;
}

export const ifnameOf = (itf: ContainerInterface, index: number): string => itf.name ?? `eth${index}`;

/**
 * The interface an edit applies to: the one named by `--iface`, else the first on a routed
 * network (venet: vzctl's --ipadd is about venet). A passed-through device takes no edit: its
 * addresses are the host NIC's business once moved, and the manifest's file is where they live.
 */
export function targetInterface(
  set: ManifestSet,
  ct: ContainerManifest,
  iface?: string,
): { index: number } | { error: string } {
  const nets = new Map(set.networks.map((n) => [n.metadata.name, n]));
  const itfs = ct.spec.interfaces ?? [];
  if (iface !== undefined) {
    const index = itfs.findIndex((x, i) => ifnameOf(x, i) === iface);
    if (index < 0) return { error: `container "${ct.metadata.name}" has no interface "${iface}"` };
    if (!itfs[index].network)
      return {
        error: `interface "${iface}" of container "${ct.metadata.name}" is not on a network (a passed-through device): edit its manifest`,
      };
    return { index };
  }
  const index = itfs.findIndex((x) => x.network !== undefined && nets.get(x.network)?.spec.type === 'routed');
  if (index < 0)
    return { error: `container "${ct.metadata.name}" has no interface on a routed network: name one with --iface` };
  return { index };
}

/** The set as the overrides make it: the same manifests, with the overridden address lists. */
export function applyOverrides(set: ManifestSet, overrides: Readonly<Record<string, ContainerOverride>>): ManifestSet {
  if (!Object.keys(overrides).length) return set;
  const containers = set.containers.map((ct) => {
    const o = lookup(overrides, ct.metadata.name);
    if (!o) return ct;
    const interfaces = (ct.spec.interfaces ?? []).map((itf, i) => {
      const d = lookup(o.interfaces, ifnameOf(itf, i));
      return d ? { ...itf, addresses: effective(itf.addresses ?? [], d) } : itf;
    });
    return { ...ct, spec: { ...ct.spec, interfaces } };
  });
  return { ...set, containers };
}

/** The set with one interface's address list replaced (`--save`: what the edited file will say). */
export function withAddresses(
  set: ManifestSet,
  ct: ContainerManifest,
  index: number,
  addresses: readonly string[],
): ManifestSet {
  const interfaces = (ct.spec.interfaces ?? []).map((itf, i) => (i === index ? { ...itf, addresses } : itf));
  const edited = { ...ct, spec: { ...ct.spec, interfaces } };
  return { ...set, containers: set.containers.map((c) => (c === ct ? edited : c)) };
}
