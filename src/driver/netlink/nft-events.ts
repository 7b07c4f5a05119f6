import { parseAttrs, str } from './attrs.js';
import type { NlMsg } from './dump-reader.js';
import { EventSocket } from './events.js';

const NETLINK_NETFILTER = 12;
const NFNLGRP_NFTABLES = 7;
const NFNL_SUBSYS_NFTABLES = 10;
const NFPROTO_INET = 1;
/** `struct nfgenmsg`: family, version, resource id. */
const NFGENMSG_LEN = 4;
/**
 * The table's name: attribute 1 of every nftables object message (NFTA_TABLE_NAME,
 * NFTA_CHAIN_TABLE, NFTA_RULE_TABLE, NFTA_SET_TABLE, NFTA_SET_ELEM_LIST_TABLE, NFTA_OBJ_TABLE,
 * NFTA_FLOWTABLE_TABLE). NFT_MSG_NEWGEN, which closes every transaction, has none.
 */
const TABLE_ATTR = 1;

/**
 * Whether an nftables notification is about the `inet` table `table`: a table, chain, rule, set,
 * element or object in it was added or removed. Other tables (other tools', other instances')
 * and the generation messages are not.
 */
export function concernsTable(m: Pick<NlMsg, 'type' | 'body'>, table: string): boolean {
  if (m.type >> 8 !== NFNL_SUBSYS_NFTABLES || m.body.length < NFGENMSG_LEN) return false;
  if (m.body.readUInt8(0) !== NFPROTO_INET) return false;
  return str(parseAttrs(m.body, NFGENMSG_LEN).get(TABLE_ATTR)) === table;
}

/**
 * A non-blocking socket on the nftables multicast group (`nft monitor` hears the same) in the
 * namespace `netns`, counting only messages about `table`. nftables is per namespace and ctnet's
 * table lives in the namespace playing the host only, so no other namespace is listened to.
 */
export function openNftEvents(netns: string | null, table: string): EventSocket {
  const relevant = (m: NlMsg): boolean => concernsTable(m, table);
  return EventSocket.subscribe(netns, {
    protocol: NETLINK_NETFILTER,
    groups: [NFNLGRP_NFTABLES],
    allNsid: false,
    relevant,
  });
}
