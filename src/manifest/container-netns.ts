import type { ContainerManifest } from './types.js';

/** The namespace a vnet/disabled container lives in; `undefined` for host-stack drivers and runtime namespaces. */
export function containerNetns(ct: ContainerManifest): string | undefined {
  const d = ct.spec.driver ?? 'vnet';
  if (d !== 'vnet' && d !== 'disabled') return undefined;
  const ns = ct.spec.netns;
  return typeof ns === 'string' ? ns : ns === undefined ? ct.metadata.name : undefined;
}
