import type { CtnetError } from '../../model/errors.js';
import { attachments, Claims, errorAt, gateways, label, type Rule } from './helpers.js';
import { parseIp } from './ip-text.js';

/**
 * An address is used once across the whole set: by one interface, or as one network's gateway.
 * Compared in canonical form, so `2001:db8::1` and `2001:DB8:0::1` collide; prefixes do not matter.
 */
export const duplicateAddresses: Rule = (set) => {
  const errors: CtnetError[] = [];
  const used = new Claims();
  for (const n of set.networks) {
    for (const g of gateways(n)) {
      const c = parseIp(g.text);
      const other = c && used.claim(c.address, `the gateway of network "${n.metadata.name}"`);
      if (c && other) errors.push(errorAt(n, g.path, `duplicate address ${c.address}: already used by ${other}`));
    }
  }
  for (const a of attachments(set)) {
    a.addresses.forEach((text, i) => {
      const c = parseIp(text);
      const other = c && used.claim(c.address, label(a.m));
      if (c && other)
        errors.push(
          errorAt(a.m, [...a.path, 'addresses', i], `duplicate address ${c.address}: already used by ${other}`),
        );
    });
  }
  return errors;
};
