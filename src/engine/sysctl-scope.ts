import type { ManifestSet } from '../manifest/types.js';
import type { CtnetError } from '../model/errors.js';
import { pathText } from '../manifest/schema.js';
import { sysctlPath } from '../driver/sysctl.js';

/** An interface's part of a per-interface key: any interface's key is kept as `lo`'s is. */
const IFACE_PART = /^(net\/ipv[46]\/(?:conf|neigh)|net\/mpls\/conf)\/([^/]+)\//;

/** `net.ipv4.conf.eth0.100.rp_filter` → `net/ipv4/conf/lo/rp_filter`: as the probe lists it. */
export function probedPath(key: string): string | undefined {
  let rel: string;
  try {
    rel = sysctlPath(key).slice('/proc/sys/'.length);
  } catch {
    return undefined; // the schema reports a key of the wrong form
  }
  const asLo = (all: string, tree: string, iface: string): string =>
    iface === 'all' || iface === 'default' ? all : `${tree}/lo/`;
  return rel.replace(IFACE_PART, asLo);
}

/**
 * Every sysctl a manifest sets (Host and Container `spec.sysctls`) must be one the kernel keeps
 * per network namespace, as the probe found them (capabilities.ts): any other write would reach
 * past the namespace it is meant for, into the whole machine (or fail part-way where the namespace
 * playing the host shows it read-only). Exit 3 at the key, before any change. Keys outside `net.`
 * are the sysctl-keys rule's.
 */
export function sysctlScopeErrors(set: ManifestSet, perNs: readonly string[]): CtnetError[] {
  const known = new Set(perNs);
  const errors: CtnetError[] = [];
  for (const m of [...set.hosts, ...set.containers]) {
    for (const key of Object.keys(m.spec.sysctls ?? {})) {
      const p = probedPath(key);
      if (!p || !p.startsWith('net/') || known.has(p)) continue;
      const path = ['spec', 'sysctls', key];
      errors.push({
        code: 'invalid',
        ...m.source.at(path),
        path: pathText(path),
        message:
          `"${key}" is not a sysctl the kernel keeps per network namespace ` +
          '(a fresh namespace has no writable copy): it is global to the machine, or does not exist',
      });
    }
  }
  return errors;
}
