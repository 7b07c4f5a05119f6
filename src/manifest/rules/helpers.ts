import type { CtnetError } from '../../model/errors.js';
import type { ContainerInterface, FieldPath, Manifest, ManifestSet, VmInterface } from '../types.js';
import { pathText } from '../schema.js';

/** A rule: a small named check over the whole set; it returns every error it finds. */
export type Rule = (set: ManifestSet) => CtnetError[];

export function errorAt(m: Manifest, path: FieldPath, message: string): CtnetError {
  return { code: 'invalid', ...m.source.at(path), path: pathText(path), message };
}

/** Every interface of every container and VM, with the path to it, for rules that look across objects. */
export interface Attached {
  readonly m: Manifest;
  readonly path: FieldPath;
  readonly name?: string;
  readonly network?: string;
  readonly device?: string;
  readonly mac?: string;
  readonly addresses: readonly string[];
}

export function attachments(set: ManifestSet): Attached[] {
  const out: Attached[] = [];
  for (const m of [...set.containers, ...set.vms]) {
    const list: readonly (ContainerInterface | VmInterface)[] = m.spec.interfaces ?? [];
    list.forEach((i, n) => {
      const name = 'name' in i ? i.name : 'tap' in i ? i.tap : undefined;
      const device = 'device' in i ? i.device : undefined;
      out.push({ m, path: ['spec', 'interfaces', n], name, network: i.network, device, mac: i.mac, addresses: i.addresses ?? [] });
    });
  }
  return out;
}
