import { describe, expect, it } from 'vitest';
import { concernsTable } from '../../../src/driver/netlink/nft-events.js';

/** An nftables notification: nfgenmsg (family, version, res_id) and one string attribute of type 1. */
function msg(type: number, family: number, table?: string): { type: number; body: Buffer } {
  const head = Buffer.from([family, 0, 0, 0]);
  if (table === undefined) return { type, body: head };
  const value = Buffer.from(`${table}\0`);
  const attr = Buffer.alloc(4 + value.length + ((4 - (value.length % 4)) % 4));
  attr.writeUInt16LE(4 + value.length, 0);
  attr.writeUInt16LE(1, 2);
  value.copy(attr, 4);
  return { type, body: Buffer.concat([head, attr]) };
}

describe('nftables events', () => {
  const NFT = 10 << 8;
  it('count only messages about the inet table named', () => {
    expect(concernsTable(msg(NFT | 2, 1, 'ctnet_ab12cd34'), 'ctnet_ab12cd34')).toBe(true); // DELTABLE
    expect(concernsTable(msg(NFT | 14, 1, 'ctnet_ab12cd34'), 'ctnet_ab12cd34')).toBe(true); // DELSETELEM
    expect(concernsTable(msg(NFT | 8, 1, 'ctnet_other'), 'ctnet_ab12cd34')).toBe(false); // another instance's
    expect(concernsTable(msg(NFT | 8, 2, 'ctnet_ab12cd34'), 'ctnet_ab12cd34')).toBe(false); // ip, not inet
    expect(concernsTable(msg(NFT | 15, 1), 'ctnet_ab12cd34')).toBe(false); // NEWGEN
    expect(concernsTable(msg(16, 1, 'ctnet_ab12cd34'), 'ctnet_ab12cd34')).toBe(false); // rtnetlink
  });
});
