import { antiSpoofingPart, portsOfTable, type RoutedPort } from './anti-spoofing.js';
import { natOfTable, natPart, type NatNetwork } from './nat.js';
import { NFT_TABLE, type NftPart, type NftTableObj } from './nft.js';

/**
 * The content of ctnet's one nftables table in a namespace, composed of independent parts: the
 * isolation of routed interfaces (anti-spoofing.ts) and the NAT of bridge networks (nat.ts).
 * Each part brings its own sets and chains under names the other never uses, so they compose by
 * concatenation; the table exists while either part has something in it.
 */
export interface TableParts {
  readonly routed: readonly RoutedPort[];
  readonly nat: readonly NatNetwork[];
}

/** The table for these parts, or undefined when neither needs a rule. */
export function ctnetTable(p: TableParts): NftTableObj | undefined {
  const parts: NftPart[] = [];
  // anti-spoofing first: a table of routed interfaces alone reads as it did before NAT existed
  if (p.routed.length) parts.push(antiSpoofingPart(p.routed));
  const nat = natPart(p.nat);
  if (nat.chains.length) parts.push(nat);
  if (!parts.length) return undefined;
  return {
    family: 'inet',
    name: NFT_TABLE,
    sets: parts.flatMap((x) => x.sets),
    chains: parts.flatMap((x) => x.chains),
  };
}

/** What an observed table holds, part by part: a partial destroy rebuilds it from what stays. */
export const partsOfTable = (t: NftTableObj): TableParts => ({ routed: portsOfTable(t), nat: natOfTable(t) });
