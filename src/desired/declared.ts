import type { FieldPath, Manifest, ManifestSet } from '../manifest/types.js';
import { attachments, gateways, label } from '../manifest/rules/helpers.js';
import { pathText } from '../manifest/schema.js';
import { parseCidr } from '../model/ip.js';
import { ownerOf } from './owner.js';

/** An address a manifest gives explicitly, with where it says so. */
export interface Declared {
  /** Canonical, without prefix. */
  readonly address: string;
  readonly owner: string;
  /** `spec.interfaces[0].addresses[1]`, `spec.gateway[0]`. */
  readonly field: string;
  /** `Container "ct1"`: how messages name the manifest. */
  readonly label: string;
}

/**
 * Every explicit address of the set: interfaces of containers (any driver, passthrough devices
 * included) and VMs, and bridge gateways. Text that does not parse is the rules' to report.
 */
export function declaredAddresses(set: ManifestSet): Declared[] {
  const out: Declared[] = [];
  const add = (text: string, m: Manifest, path: FieldPath): void => {
    const c = parseCidr(text);
    if (c) out.push({ address: c.address, owner: ownerOf(m), field: pathText(path), label: label(m) });
  };
  for (const n of set.networks) for (const g of gateways(n)) add(g.text, n, g.path);
  for (const a of attachments(set)) a.addresses.forEach((text, i) => add(text, a.m, [...a.path, 'addresses', i]));
  return out;
}
