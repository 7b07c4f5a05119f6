import type { Family } from './ip.js';
import type { NsRef } from './kernel.js';
import { nftKernelName } from './nft.js';

/**
 * Typed identity of every kernel object ctnet manages. The namespace is part of the key: the
 * host (`null`) or a named namespace. A key's id is its stable text form, used for maps, the
 * inventory and action dependencies.
 */
export type ObjectKey =
  | { readonly kind: 'netns'; readonly ns: null; readonly name: string }
  | { readonly kind: 'link'; readonly ns: NsRef; readonly name: string }
  | { readonly kind: 'port'; readonly ns: NsRef; readonly name: string }
  | { readonly kind: 'address'; readonly ns: NsRef; readonly dev: string; readonly cidr: string }
  | { readonly kind: 'route'; readonly ns: NsRef; readonly family: Family; readonly dst: string }
  | { readonly kind: 'neighbor'; readonly ns: NsRef; readonly dev: string; readonly dst: string }
  | { readonly kind: 'fdb'; readonly ns: NsRef; readonly dev: string; readonly dst: string }
  | { readonly kind: 'sysctl'; readonly ns: NsRef; readonly key: string }
  | { readonly kind: 'device'; readonly ns: NsRef; readonly name: string }
  /** Addresses handed out to an interface (`container/ct1/eth0`): a record only, no kernel object. */
  | { readonly kind: 'allocation'; readonly ns: null; readonly name: string }
  /** `name` is the logical name (`ctnet`); the kernel's carries the instance (model/nft.ts). */
  | { readonly kind: 'nftable'; readonly ns: NsRef; readonly family: 'inet'; readonly name: string };

export type ObjectKind = ObjectKey['kind'];
export type KeyOf<K extends ObjectKind> = Extract<ObjectKey, { kind: K }>;

const nsText = (ns: NsRef): string => (ns === null ? 'host' : `netns:${ns}`);

/** `link host br-lan`, `address netns:ct1 eth0 10.0.0.2/24`: unique, readable, sortable. */
export function keyId(k: ObjectKey): string {
  switch (k.kind) {
    case 'netns':
      return `netns ${k.name}`;
    case 'link':
      return `link ${nsText(k.ns)} ${k.name}`;
    case 'port':
      return `port ${nsText(k.ns)} ${k.name}`;
    case 'address':
      return `address ${nsText(k.ns)} ${k.dev} ${k.cidr}`;
    case 'route':
      return `route ${nsText(k.ns)} ${k.family === 6 && k.dst === 'default' ? 'default6' : k.dst}`;
    case 'neighbor':
      return `neighbor ${nsText(k.ns)} ${k.dev} ${k.dst}`;
    case 'fdb':
      return `fdb ${nsText(k.ns)} ${k.dev} ${k.dst}`;
    case 'sysctl':
      return `sysctl ${nsText(k.ns)} ${k.key}`;
    case 'device':
      return `device ${nsText(k.ns)} ${k.name}`;
    case 'allocation':
      return `allocation ${k.name}`;
    case 'nftable':
      return `nftable ${nsText(k.ns)} ${k.family} ${k.name}`;
  }
}

/**
 * How plans name an object (the namespace is shown beside it). With the instance, a table is
 * named as the kernel names it (`inet ctnet_1a2b3c4d`), the name a user types into `nft`.
 */
export function keyLabel(k: ObjectKey, instance?: string): string {
  switch (k.kind) {
    case 'netns':
      return `netns ${k.name}`;
    case 'link':
      return `link ${k.name}`;
    case 'port':
      return `port ${k.name}`;
    case 'address':
      return `address ${k.cidr} dev ${k.dev}`;
    case 'route':
      return `route ${k.dst}${k.family === 6 && k.dst === 'default' ? ' (ipv6)' : ''}`;
    case 'neighbor':
      return `proxy ${k.dst} dev ${k.dev}`;
    case 'fdb':
      return `fdb ${k.dst} dev ${k.dev}`;
    case 'sysctl':
      return `sysctl ${k.key}`;
    case 'device':
      return `device ${k.name}`;
    case 'allocation':
      return `allocation ${k.name}`;
    case 'nftable':
      return `nftables table ${k.family} ${instance ? nftKernelName(k.name, instance) : k.name}`;
  }
}

/** The namespace an object lives in, as plans show it: a netns is shown under its own name. */
export const keyNetns = (k: ObjectKey): NsRef => (k.kind === 'netns' ? k.name : k.ns);

/**
 * The named namespace of an object by its id (`link netns:ct1 eth0` → `ct1`), read from the text
 * `keyId` writes; null for the host and the host-wide kinds (`netns ct1`, `allocation …`).
 */
export function idNetns(id: string): string | null {
  const space = id.indexOf(' ');
  if (!id.startsWith('netns:', space + 1)) return null;
  const end = id.indexOf(' ', space + 1);
  return id.slice(space + 7, end < 0 ? undefined : end);
}
