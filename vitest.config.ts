import { defineConfig } from 'vitest/config';

/**
 * Everything runs with the default driver (netlink); the core integration files run a second
 * time with the iproute2 driver, the reference and the fallback, so both stay correct.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration files share the kernel's rtnl lock; two at a time keeps a 2-core machine responsive
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'iproute2',
          include: [
            'test/integration/{routed,bridge,ipv6,crash,lifecycle,passthrough,venet-isolation,destroy-whole}.test.ts',
          ],
          env: { CTNET_DRIVER: 'iproute2' },
        },
      },
    ],
  },
});
