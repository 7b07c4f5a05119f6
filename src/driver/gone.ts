import type { Op } from '../model/ops.js';

/**
 * The words for "no such object", per kind of deletion, as ip prints them: deleting what is
 * already gone (a route flushed with its link's last address) is done, not refused. Both drivers
 * decide on the same text, so they agree on what counts as gone.
 */
const GONE: Partial<Record<Op['op'], RegExp>> = {
  'route-del': /No such process/,
  'addr-del': /Cannot assign requested address/,
  'neigh-del': /No such file or directory/,
  'link-del': /Cannot find device/,
  'netns-del': /No such file or directory/,
};

export const alreadyGone = (op: Op | undefined, message: string): boolean => !!op && !!GONE[op.op]?.test(message);
