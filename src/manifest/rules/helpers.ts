import type { CtnetError } from '../../model/errors.js';
import type { ContainerManifest, FieldPath, Manifest, ManifestSet } from '../types.js';
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
    (m.spec.interfaces ?? []).forEach((i, n) => {
      const ci = i as ContainerManifest['spec']['interfaces'] extends readonly (infer T)[] | undefined ? T : never;
      out.push({ m, path: ['spec', 'interfaces', n], name: ci.name, network: ci.network, device: ci.device, mac: ci.mac, addresses: ci.addresses ?? [] });
    });
  }
  return out;
}
