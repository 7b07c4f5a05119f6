import { basename } from 'node:path';
import type { CtnetError } from '../../model/errors.js';
import { attachments, Claims, errorAt, gateways, label, type Rule } from './helpers.js';
import { parseIp } from './ip-text.js';
import type { FieldPath, Manifest } from '../types.js';

const at = (m: Manifest, path: FieldPath): string => {
  const p = m.source.at(path);
  return `${basename(p.file)}:${p.line}:${p.column}`;
};

/** `Container "c1" on node h1 (nodes/h1.yaml:12:9)`: the first holder, found without searching. */
function placeOf(m: Manifest, path: FieldPath): string {
  const node = m.kind === 'Container' || m.kind === 'VirtualMachine' ? m.spec.node : undefined;
  return `${label(m)}${node ? ` on node ${node}` : ''} (${at(m, path)})`;
}

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
      const other = c && used.claim(c.address, () => `the gateway of network "${n.metadata.name}" (${at(n, g.path)})`);
      if (c && other) errors.push(errorAt(n, g.path, `duplicate address ${c.address}: already used by ${other}`));
    }
  }
  for (const a of attachments(set)) {
    a.addresses.forEach((text, i) => {
      const c = parseIp(text);
      const other = c && used.claim(c.address, () => placeOf(a.m, [...a.path, 'addresses', i]));
      if (c && other)
        errors.push(
          errorAt(a.m, [...a.path, 'addresses', i], `duplicate address ${c.address}: already used by ${other}`),
        );
    });
  }
  return errors;
};
