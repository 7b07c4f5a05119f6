import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Sandbox, expectExit } from './sandbox.js';
import { REVERT_CASES } from '../golden-revert/cases.js';
import { upToCheckpoint } from '../golden-revert/world.js';
import { kernelState } from '../golden-revert/kernel-state.js';

/**
 * Every golden revert case (test/golden-revert), on the real kernel with `--atomic`: the run fails
 * where the case says, the rollback runs and verifies, and every namespace of the sandbox, the
 * host's and the containers', is as it was before the run (links without the kernel's numbers,
 * addresses, routes, proxy entries, net.* sysctls, the nftables ruleset). The golden files say
 * what the revert plans; this says that it works.
 */
/**
 * atomic.test.ts and atomic-change.test.ts already fail a mixed apply at every step; here, one
 * case per kind of change runs by default (a creation, a prune, a restore, an override), and
 * CTNET_TEST_ALL_REVERTS=1 runs all of them (about a minute and a half on 2 cores).
 */
const SAMPLE = ['create-passthrough-midway', 'prune-bridged-network', 'host-sysctl-restored', 'override-ipadd'];
const all = !!process.env.CTNET_TEST_ALL_REVERTS;
if (!all)
  console.log(`atomic-golden: ${SAMPLE.length} of ${REVERT_CASES.length} cases (CTNET_TEST_ALL_REVERTS=1 for all)`);

describe('apply --atomic puts back every golden revert case', () => {
  for (const c of REVERT_CASES.filter((x) => all || SAMPLE.includes(x.name))) {
    it(c.name, () => {
      const sb = new Sandbox();
      try {
        const prefix = `${sb.prefix}-`;
        const args = upToCheckpoint(c, join(sb.dir, 'case'), prefix, (dir) =>
          expectExit(sb.ctnet('-q', 'apply', dir), 0),
        );
        const before = kernelState(prefix, c.leaves);
        const r = sb.ctnetEnv({ CTNET_FAIL_OP: c.fail }, '-q', ...args, '--atomic');
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toContain('refused on purpose');
        expect(r.stderr).toMatch(/^rolled back: [1-9]\d* changes/m);
        expect(kernelState(prefix, c.leaves)).toEqual(before);
        expectExit(sb.ctnet('-q', 'destroy'), 0);
      } finally {
        sb.cleanup();
      }
    });
  }
});
