import type { ContainerManifest } from './types.js';

/**
 * The namespace a vnet/disabled container lives in, as ctnet names it; `undefined` for
 * host-stack drivers. A runtime's namespace given by path gets a name ctnet derives
 * (`ctnet-rt-<container>`) and points at it.
 */
export function containerNetns(ct: ContainerManifest): string | undefined {
  const d = ct.spec.driver ?? 'vnet';
  if (d !== 'vnet' && d !== 'disabled') return undefined;
  const ns = ct.spec.netns;
  if (typeof ns === 'object') return `ctnet-rt-${ct.metadata.name}`;
  return ns ?? ct.metadata.name;
}

/** The runtime's namespace a container attaches to (`netns: {path}`), if any. */
export const containerNetnsPath = (ct: ContainerManifest): string | undefined =>
  typeof ct.spec.netns === 'object' ? ct.spec.netns.path : undefined;
