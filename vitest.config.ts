import { defineConfig } from 'vitest/config';

/**
 * Everything runs with the default driver (netlink); the files that build each network model
 * (routed, bridged, IPv6, passthrough, nftables isolation, whole deletions) run a second time
 * with the iproute2 driver, the reference and the fallback, so both stay correct. The crash and
 * lifecycle tests exercise the engine and the state, not the driver's operations: once is enough.
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
          include: ['test/integration/{routed,bridge,ipv6,passthrough,venet-isolation,destroy-whole}.test.ts'],
          env: { CTNET_DRIVER: 'iproute2' },
        },
      },
    ],
  },
});
