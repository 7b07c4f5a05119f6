import type { AddressObj, LinkObj } from '../../model/kernel.js';
import { parseAttrs, u32 } from './attrs.js';
import {
  IFADDRMSG_LEN,
  IFA_ADDRESS,
  IFA_FLAGS,
  IFA_F_DADFAILED,
  IFA_F_PERMANENT,
  IFA_F_TENTATIVE,
  IFA_LOCAL,
  RTM_NEWADDR,
} from './constants.js';
import type { NlMsg } from './dump-reader.js';
import { familyOf, ipText } from './format.js';

/**
 * RTM_NEWADDR messages → addresses, grouped per link in link order and in dump order within a
 * link, because that is how `ip address show` prints them (it dumps links and addresses, then
 * prints each link's addresses): both drivers return the same list.
 */
export function decodeAddresses(msgs: readonly NlMsg[], links: readonly LinkObj[]): AddressObj[] {
  const byIndex = new Map<number, AddressObj[]>();
  for (const m of msgs) {
    if (m.type !== RTM_NEWADDR || m.body.length < IFADDRMSG_LEN) continue;
    const family = familyOf(m.body.readUInt8(0));
    if (!family) continue;
    const a = parseAttrs(m.body, IFADDRMSG_LEN);
    // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links, and the only one in IPv6
    const raw = a.get(IFA_LOCAL) ?? a.get(IFA_ADDRESS);
    // ipText is already the canonical text: no parse round trip per address
    const text = raw && ipText(family, raw);
    if (!text) continue;
    // the 8 bits in the header overflowed into IFA_FLAGS long ago; the attribute wins when present
    const flags = u32(a.get(IFA_FLAGS)) ?? m.body.readUInt8(2);
    const index = m.body.readUInt32LE(4);
    const list = byIndex.get(index) ?? [];
    byIndex.set(index, list);
    list.push({
      dev: '',
      family,
      cidr: `${text}/${m.body.readUInt8(1)}`,
      tentative: (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) !== 0,
      dynamic: (flags & IFA_F_PERMANENT) === 0,
    });
  }
  return links.flatMap((l) => (byIndex.get(l.ifindex!) ?? []).map((x) => ({ ...x, dev: l.name })));
}
