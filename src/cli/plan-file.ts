import { resolve } from 'node:path';
import { savedPlan } from '../engine/saved-plan.js';
import type { Report } from '../engine/types.js';
import type { CtnetError } from '../model/errors.js';
import { causeOf, writeFileAtomically } from '../state/atomic-write.js';
import type { GlobalOpts } from './output.js';

/**
 * `plan --out FILE`: the plan the report holds, saved with what it was made from. Nothing is
 * written for a refused plan: there is nothing to apply.
 */
export function writePlanFile(
  g: GlobalOpts,
  file: string,
  r: Report,
  o: { adopt?: boolean; allowEmpty?: boolean },
): CtnetError[] {
  if (r.outcome !== 'planned' || !r.plan || !r.basis) return [];
  const doc = savedPlan({ ...g, hostNetns: r.hostNetns, ...o }, r.basis, r.plan);
  try {
    writeFileAtomically(resolve(file), JSON.stringify(doc, null, 1) + '\n');
    return [];
  } catch (e) {
    return [{ code: 'apply', message: `cannot write the plan to ${file}: ${causeOf(e)}` }];
  }
}

export const savedText = (file: string): string =>
  `Saved this plan to ${file}: \`ctnet apply ${file}\` runs exactly it, or refuses if the host or the manifests changed.\n`;
