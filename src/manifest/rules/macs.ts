import type { CtnetError } from '../../model/errors.js';
import { isMulticastMac } from '../../model/ip.js';
import { attachments, errorAt, type Rule } from './helpers.js';

const ALL_ZERO = /^(00:){5}00$/;

/** The kernel refuses a multicast or all-zero MAC on an Ethernet link: catch it before any change. */
export const macs: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const a of attachments(set)) {
    if (a.mac === undefined) continue;
    const path = [...a.path, 'mac'];
    if (ALL_ZERO.test(a.mac)) errors.push(errorAt(a.m, path, `"${a.mac}" is the all-zero MAC address`));
    else if (isMulticastMac(a.mac))
      errors.push(errorAt(a.m, path, `"${a.mac}" is a multicast MAC address (the first byte must be even)`));
  }
  return errors;
};
