import { describe, expect, it } from 'vitest';
import { emptyNs, type NsObjects, type ObservedState } from '../../../src/model/kernel.js';
import type { Driver, ObserveRequest } from '../../../src/driver/types.js';
import { mergeObservation, namespacesToRead, observeIncrementally } from '../../../src/observe/incremental.js';
import { incremental } from '../../../src/watch/cycle.js';

const ns = (tag: string, sysctls: Record<string, string> = {}): NsObjects => ({
  ...emptyNs(),
  links: [{ name: tag } as never],
  sysctls,
});
const state = (namespaces: Record<string, NsObjects>, ids: Record<string, string>, host = 'h'): ObservedState => ({
  host: ns(host),
  netnsNames: Object.keys(ids).sort(),
  namespaces,
  netnsIds: Object.fromEntries(Object.keys(ids).map((n, i) => [n, i])),
  netnsIdentity: ids,
});
const req = (namespaces: string[], nsSysctls?: Record<string, string[]>): ObserveRequest => ({
  namespaces,
  sysctls: [],
  nsSysctls,
});

describe('incremental observation (watch after kernel events)', () => {
  const previous = state({ a: ns('a-old'), b: ns('b-old'), c: ns('c-old') }, { a: '1:1', b: '1:2', c: '1:3' }, 'h-old');

  it('reads the named namespaces and any the previous observation lacks', () => {
    expect(namespacesToRead(req(['a', 'b', 'c', 'd']), { namespaces: ['b'], previous })).toEqual(['b', 'd']);
  });

  it('takes the host and the read namespaces fresh, the others from the previous observation', () => {
    const fresh = state({ b: ns('b-new') }, { a: '1:1', b: '1:2', c: '1:3' }, 'h-new');
    const m = mergeObservation(fresh, previous, req(['a', 'b', 'c']), ['b'])!;
    expect(m.host.links).toEqual([{ name: 'h-new' }]);
    expect(Object.keys(m.namespaces)).toEqual(['a', 'b', 'c']);
    expect(m.namespaces.a.links).toEqual([{ name: 'a-old' }]);
    expect(m.namespaces.b.links).toEqual([{ name: 'b-new' }]);
    expect(m.namespaces.c).toBe(previous.namespaces.c);
  });

  it('leaves out a namespace gone (or half made) since, as a full observation would', () => {
    const fresh = { ...state({ b: ns('b-new') }, { b: '1:2', c: '1:3' }), brokenNetns: ['c'] };
    expect(Object.keys(mergeObservation(fresh, previous, req(['a', 'b', 'c']), ['b'])!.namespaces)).toEqual(['b']);
  });

  it('gives up when a namespace not read was recreated, is unknown, or lacks a sysctl now asked for', () => {
    const recreated = state({ b: ns('b-new') }, { a: '9:9', b: '1:2', c: '1:3' });
    expect(mergeObservation(recreated, previous, req(['a', 'b', 'c']), ['b'])).toBeUndefined();
    const fresh = state({ b: ns('b-new') }, { a: '1:1', b: '1:2', c: '1:3', e: '1:5' });
    expect(mergeObservation(fresh, previous, req(['a', 'b', 'c', 'e']), ['b'])).toBeUndefined();
    expect(
      mergeObservation(fresh, previous, req(['a', 'b', 'c'], { a: ['net.ipv4.ip_forward'] }), ['b']),
    ).toBeUndefined();
    const withKey = state(
      { ...previous.namespaces, a: ns('a-old', { 'net.ipv4.ip_forward': '1' }) },
      previous.netnsIdentity!,
    );
    expect(mergeObservation(fresh, withKey, req(['a', 'b', 'c'], { a: ['net.ipv4.ip_forward'] }), ['b'])).toBeDefined();
  });

  it('observes everything when the merge cannot be trusted, and counts what it read', async () => {
    const asked: string[][] = [];
    const full = state({ a: ns('a-new'), b: ns('b-new'), c: ns('c-new') }, { a: '9:9', b: '1:2', c: '1:3' });
    const driver = {
      hostNetns: null,
      listNetns: () => Promise.resolve([]),
      run: () => Promise.resolve([]),
      observe: (r: ObserveRequest) => {
        asked.push([...r.namespaces]);
        return Promise.resolve({
          ...full,
          namespaces: Object.fromEntries(r.namespaces.map((n) => [n, full.namespaces[n]])),
        });
      },
    } as Driver;
    const o = await observeIncrementally(driver, req(['a', 'b', 'c']), { namespaces: ['b'], previous });
    expect(asked).toEqual([['b'], ['a', 'b', 'c']]);
    expect(o.read).toBe(4);
    expect(o.observed.namespaces.a.links).toEqual([{ name: 'a-new' }]);
    const ok = await observeIncrementally(
      { ...driver, observe: () => Promise.resolve(state({ b: ns('b-new') }, previous.netnsIdentity!)) },
      req(['a', 'b', 'c']),
      { namespaces: ['b'], previous },
    );
    expect(ok.read).toBe(2);
    expect(ok.observed.namespaces.a).toBe(previous.namespaces.a);
  });

  it('the watch cycle reuses only for kernel and file events, with every nsid named, under the same manifests', () => {
    const last = { observed: previous, digest: 'd' };
    const k = new Set(['kernel'] as const);
    expect(incremental(last, k, { nsids: [1] }, 'd')).toEqual({ namespaces: ['b'], previous });
    expect(incremental(last, k, { nsids: [] }, 'd')).toEqual({ namespaces: [], previous });
    expect(incremental(last, k, { nsids: [7] }, 'd')).toBeUndefined();
    expect(incremental(last, k, undefined, 'd')).toBeUndefined();
    expect(incremental(last, k, { nsids: [1] }, 'other')).toBeUndefined();
    // the probe names what it saw change through `unheard`: the host and what events named are read
    expect(incremental(last, new Set(['kernel', 'probe'] as const), { nsids: [1] }, 'd', undefined, ['c'])).toEqual({
      namespaces: ['b', 'c'],
      previous,
    });
    expect(incremental(last, new Set(['kernel', 'resync'] as const), { nsids: [1] }, 'd')).toBeUndefined();
    // a file event after a kernel event's run already read the edited file: the same manifests
    expect(incremental(last, new Set(['file'] as const), { nsids: [1] }, 'd')).toEqual({ namespaces: ['b'], previous });
    expect(incremental(undefined, k, { nsids: [1] }, 'd')).toBeUndefined();
  });
});

describe('the source namespace of a netlink event (recvmsg ancillary data)', async () => {
  const { sourceNsid } = await import('../../../src/driver/netlink/events.js');
  const cmsg = (level: number, type: number, id: number): Buffer => {
    const b = Buffer.alloc(24);
    b.writeBigUInt64LE(20n, 0);
    b.writeInt32LE(level, 8);
    b.writeInt32LE(type, 12);
    b.writeInt32LE(id, 16);
    return b;
  };
  it("reads SOL_NETLINK / NETLINK_LISTEN_ALL_NSID; none (or -1) is the socket's own namespace", () => {
    expect(sourceNsid(cmsg(270, 8, 5))).toBe(5);
    expect(sourceNsid(Buffer.concat([cmsg(1, 2, 9), cmsg(270, 8, 3)]))).toBe(3);
    expect(sourceNsid(cmsg(270, 8, -1))).toBeUndefined();
    expect(sourceNsid(Buffer.alloc(0))).toBeUndefined();
    expect(sourceNsid(cmsg(1, 2, 9))).toBeUndefined();
  });
});
