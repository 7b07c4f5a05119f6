import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { nftLibraryExec as inProcess } from '../../src/driver/netlink/libnftables.js';
import { nftCommand, readNftTables } from '../../src/driver/nft.js';
import { sh } from './sandbox.js';

const NS = `ctl${randomBytes(3).toString('hex')}`;
const SCRIPT = `table inet ctnet_t1 {
  set routed4 { type ipv4_addr; elements = { 10.0.0.2, 10.0.0.3 } }
  chain isolation { type filter hook forward priority 0; policy accept; iifname "ve-*" ip saddr != @routed4 drop; }
}
`;

describe('nftables in-process (libnftables) answers as the nft command does', () => {
  sh('ip', 'netns', 'add', NS);
  afterAll(() => void sh('ip', 'netns', 'del', NS));

  it('a script made in-process lands in that namespace only, and both read the same table', async () => {
    const r = await inProcess(NS, { script: SCRIPT });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(sh('ip', 'netns', 'exec', NS, 'nft', 'list', 'tables')).toContain('ctnet_t1');
    const viaLib = await readNftTables(NS, inProcess);
    const viaCmd = await readNftTables(NS, nftCommand);
    expect(viaLib).toEqual(viaCmd);
    expect(viaLib.map((t) => t.name)).toEqual(['ctnet_t1']);
  });

  // the command names its input (`/dev/stdin:1:50-56:`) before each error; the library has no file to name
  const unplaced = (text: string): string => text.replace(/^\S+:\d+:\d+-\d+: /gm, '');

  it("a refused script gives the command's exit status and error text", async () => {
    const bad = 'table inet ctnet_t1 { chain c { type filter hook nowhere priority 0; } }\n';
    const lib = await inProcess(NS, { script: bad });
    const cmd = await nftCommand(NS, { script: bad });
    expect(lib.code).toBe(1);
    expect(cmd.code).toBe(1);
    expect(lib.stderr).toMatch(/unknown chain hook/);
    expect(unplaced(lib.stderr)).toBe(unplaced(cmd.stderr));
  });
});
