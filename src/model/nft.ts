/**
 * nftables tables ctnet owns, as structured data: the desired content and what `nft -j` shows
 * are both brought to this form, so a table edited by hand (a rule removed, a chain flushed, an
 * element added) compares unequal and is replaced whole. Rules are a small typed syntax tree of
 * the statements ctnet writes; anything else observed is kept as `unknown` and never matches.
 */
export type NftField = 'iifname' | 'oifname' | 'ip saddr' | 'ip daddr' | 'ip6 saddr' | 'ip6 daddr';

export type NftValue =
  | { readonly set: string }
  /** `224.0.0.0/4`, canonical. */
  | { readonly prefix: string }
  | { readonly addr: string }
  /** An interface name (`oifname != "br-lan"`): a quoted string to nft, never an address. */
  | { readonly ifname: string };

export type NftStmt =
  /** Several fields: a concatenation (`ip saddr . iifname @allowed4`). */
  | { readonly match: readonly NftField[]; readonly op: '==' | '!='; readonly value: NftValue }
  | { readonly counter: true }
  | { readonly verdict: 'accept' | 'drop' }
  /** Source NAT to the outgoing interface's address, without options (`{"masquerade": null}`). */
  | { readonly masquerade: true }
  /** A statement ctnet never writes (its JSON): observed only, never equal to a desired rule. */
  | { readonly unknown: string };

export type NftRule = readonly NftStmt[];

export interface NftChain {
  readonly name: string;
  /** Base chains only. */
  readonly base?: {
    readonly type: 'filter' | 'nat';
    readonly hook: 'forward' | 'input' | 'postrouting';
    readonly prio: number;
    readonly policy: 'accept' | 'drop';
  };
  readonly rules: readonly NftRule[];
}

export interface NftSet {
  readonly name: string;
  /** `ipv4_addr . ifname` is `['ipv4_addr', 'ifname']`. */
  readonly type: readonly string[];
  /** Each element as its parts, sorted. */
  readonly elements: readonly (readonly string[])[];
}

export interface NftTableObj {
  readonly family: 'inet';
  /** The logical name (`ctnet`); the kernel's name carries the instance (see `nftKernelName`). */
  readonly name: string;
  readonly sets: readonly NftSet[];
  readonly chains: readonly NftChain[];
  /** Observed objects of other kinds (maps, flowtables, named counters): their JSON. */
  readonly extras?: readonly string[];
}

/** A table as read from a kernel: named `ctnet_*`, but of any family (only inet ones can be ctnet's). */
export type ObservedNftTable = Omit<NftTableObj, 'family'> & { readonly family: string };

/** One concept's share of a table (anti-spoofing, NAT): ctnet-table.ts puts the parts together. */
export interface NftPart {
  readonly sets: readonly NftSet[];
  readonly chains: readonly NftChain[];
}

/** The one table per namespace this instance owns. */
export const NFT_TABLE = 'ctnet';
/** Owner of the aggregate table: no manifest is called this, so no partial destroy takes it. */
export const NFT_OWNER = 'ctnet/nftables';

/**
 * The table's name in the kernel is the marker: `ctnet_<instance>`. nftables tables carry no
 * comment that every version shows, and the name alone keeps two instances apart.
 */
export const nftKernelName = (name: string, instance: string): string => `${name}_${instance}`;

/** The logical name of a kernel table when it is this instance's, else undefined. */
export function nftLogicalName(kernelName: string, instance: string): string | undefined {
  const suffix = `_${instance}`;
  return kernelName.endsWith(suffix) && kernelName.startsWith(`${NFT_TABLE}_`)
    ? kernelName.slice(0, -suffix.length)
    : undefined;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sets and chains by name, elements sorted: rule order inside a chain is meaning and is kept. */
export function canonicalTable(t: NftTableObj): NftTableObj {
  return {
    family: t.family,
    name: t.name,
    sets: [...t.sets]
      .sort((a, b) => cmp(a.name, b.name))
      .map((s) => ({ ...s, elements: [...s.elements].sort((x, y) => cmp(x.join(' . '), y.join(' . '))) })),
    chains: [...t.chains].sort((a, b) => cmp(a.name, b.name)),
    ...(t.extras?.length ? { extras: [...t.extras].sort() } : {}),
  };
}
