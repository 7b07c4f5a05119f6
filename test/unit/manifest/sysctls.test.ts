import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/manifest/index.js';
import { Scratch, doc } from './helpers.js';

const s = new Scratch();
afterAll(() => s.cleanup());

/** The errors of a Host document with these sysctls (flow mapping text), `path: message`. */
const hostErrors = async (sysctls: string): Promise<string[]> =>
  (await s.errors({ 'h.yaml': doc('Host', 'h', `{sysctls: {${sysctls}}}`) })).map((e) =>
    e.replace(/^h\.yaml:\d+:\d+: /, ''),
  );

const KEY =
  'is not a valid sysctl key: names of A-Z, a-z, 0-9, "_" and "-" joined by "." or "/", e.g. net.ipv4.conf.all.forwarding or net/ipv4/conf/eth0.100/forwarding; at most 255 characters';
const VALUE =
  'is not a valid sysctl value: an integer, true or false, or text of A-Z, a-z, 0-9, space, tab and "_.:,-", at most 255 characters';

describe('sysctls are data', () => {
  it('takes dotted and slash keys, interface parts with dots, and safe values', async () => {
    expect(
      await hostErrors(
        [
          'net.ipv4.conf.all.forwarding: 1',
          'net.ipv4.conf.eth0.100.forwarding: "0"',
          'net/ipv4/conf/eth0.100/rp_filter: 2',
          'net/ipv6/neigh/br-lan.7/proxy_delay: 5',
          'net.ipv6.conf.ve-a_b.accept_ra: -1',
          'net.ipv4.ip_local_port_range: "32768\\t60999"',
          'net.core.default_qdisc: fq_codel',
          'net.core.x: "a b,c:d.e_f-g"',
          'net.ipv4.tcp_ecn: ""',
        ].join(', '),
      ),
    ).toEqual([]);
  });

  it('rejects keys outside the safe form, each by name at its key', async () => {
    const bad = [
      'Bad',
      'net..ipv4.x',
      '.net.ipv4.x',
      'net.ipv4.x.',
      'net/ipv4/',
      '/net/ipv4/x',
      'net/ipv4/conf/../x',
      'net/ipv4/conf/./x',
      'net.ipv4/conf.x',
      'net.ipv4.$(id)',
      'net ipv4.x',
      `net.${'a'.repeat(252)}`,
    ];
    const e = await hostErrors(bad.map((k) => `${JSON.stringify(k)}: 1`).join(', '));
    expect(e).toEqual(
      bad.map(
        (k) =>
          `spec.sysctls${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}: ${JSON.stringify(k)} ${KEY}`,
      ),
    );
  });

  it('rejects values with characters a shell or a parser would read, naming the key', async () => {
    const bad = [
      '$(reboot)',
      '`id`',
      '1; reboot',
      'a|b',
      'a&b',
      '<x',
      '>x',
      '"q"',
      "'q'",
      'a\nb',
      'a\\b',
      'x'.repeat(256),
    ];
    // YAML double-quoted strings read JSON escapes: the newline and the backslash arrive as such
    const e = await hostErrors(bad.map((v, i) => `net.k${i}.v: ${JSON.stringify(v)}`).join(', '));
    expect(e).toEqual(bad.map((v, i) => `spec.sysctls["net.k${i}.v"]: ${JSON.stringify(v)} ${VALUE}`));
  });

  it('rejects values that are neither text, integer nor boolean', async () => {
    expect(await hostErrors('net.a.b: [1], net.c.d: 1.5, net.e.f: null')).toEqual([
      `spec.sysctls["net.a.b"]: [1] ${VALUE}`,
      `spec.sysctls["net.c.d"]: 1.5 ${VALUE}`,
      `spec.sysctls["net.e.f"]: null ${VALUE}`,
    ]);
  });

  it('checks container sysctls alike', async () => {
    const e = await s.errors({ 'c.yaml': doc('Container', 'c', '{sysctls: {net.ipv4.ip_forward: "$(x)"}}') });
    expect(e).toContain(`c.yaml:4:39: spec.sysctls["net.ipv4.ip_forward"]: "$(x)" ${VALUE}`);
  });

  it('hands the plan text: integers in decimal, booleans as 1 and 0', async () => {
    const d = s.dir({
      'h.yaml': doc('Host', 'h', '{sysctls: {net.a.b: 1, net.c.d: true, net.e.f: false, net.g.h: "02", net.i.j: -1}}'),
    });
    const r = await loadManifests([d]);
    expect(r.ok && r.value.hosts[0].spec.sysctls).toEqual({
      'net.a.b': '1',
      'net.c.d': '1',
      'net.e.f': '0',
      'net.g.h': '02',
      'net.i.j': '-1',
    });
  });
});
