import { addresses } from './addresses.js';
import { interfaces } from './interfaces.js';
import { references } from './references.js';
import { uniqueNames } from './unique-names.js';
import { hostNames } from './host-names.js';
import { implemented } from './implemented.js';
import type { Rule } from './helpers.js';

/** The semantic rules, run in this order once every document passed the schema. */
export const RULES: readonly { readonly name: string; readonly check: Rule }[] = [
  { name: 'unique-names', check: uniqueNames },
  { name: 'references', check: references },
  { name: 'addresses', check: addresses },
  { name: 'interfaces', check: interfaces },
  { name: 'host-names', check: hostNames },
  { name: 'implemented', check: implemented },
];
