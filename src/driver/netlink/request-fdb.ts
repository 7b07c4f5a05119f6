import type { FdbObj } from '../../model/kernel.js';
import {
  AF_BRIDGE,
  NDA_DST,
  NDA_LLADDR,
  NDMSG_LEN,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NTF_SELF,
  NUD_NOARP,
  NUD_PERMANENT,
  RTM_DELNEIGH,
  RTM_NEWNEIGH,
} from './constants.js';
import { ipBytes, macBytes } from './format.js';
import type { Request } from './request-base.js';

/**
 * `bridge fdb append|del MAC dev D dst A self permanent` as bridge/fdb.c builds it: an AF_BRIDGE
 * ndmsg on the VXLAN device, NTF_SELF (the device's own table, not its bridge's), state
 * permanent (with the NOARP bridge always sets), the MAC then the remote. Append (not add) lets
 * one MAC, the all-zeros one, have a remote per node: head-end replication.
 */
export function fdbRequest(op: 'fdb-add' | 'fdb-del', f: FdbObj, index: number): Request {
  const h = Buffer.alloc(NDMSG_LEN);
  h.writeUInt8(AF_BRIDGE, 0);
  h.writeInt32LE(index, 4);
  h.writeUInt16LE(NUD_PERMANENT | NUD_NOARP, 8);
  h.writeUInt8(NTF_SELF, 10);
  return {
    type: op === 'fdb-add' ? RTM_NEWNEIGH : RTM_DELNEIGH,
    flags: op === 'fdb-add' ? NLM_F_CREATE | NLM_F_APPEND : 0,
    header: h,
    attrs: [
      [NDA_LLADDR, macBytes(f.mac)],
      [NDA_DST, ipBytes(f.dst)],
    ],
  };
}
