import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { promised } from '../../model/promised.js';
import type { Spawned } from '../spawn.js';
import type { NftExec } from '../nft.js';
import { inNetns } from './netns.js';

/**
 * nftables in-process: libnftables (the library the `nft` command is built on, in the same
 * Debian package) through koffi, so reading and replacing ctnet's table costs no `ip netns exec
 * nft` process. Each call makes a context inside the namespace (its netlink socket is opened
 * there) and frees it before the thread returns home. Output and errors are buffered and read
 * back as the command would print them.
 */
interface Lib {
  ctxNew(flags: number): unknown;
  setOutputFlags(ctx: unknown, flags: number): void;
  bufferOutput(ctx: unknown): number;
  bufferError(ctx: unknown): number;
  run(ctx: unknown, cmd: string): number;
  output(ctx: unknown): string | null;
  error(ctx: unknown): string | null;
  free(ctx: unknown): void;
}

const NFT_CTX_DEFAULT = 0;
const NFT_CTX_OUTPUT_JSON = 1 << 4;

let cached: Lib | Error | undefined;

function load(): Lib {
  if (cached === undefined) {
    try {
      const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
      const lib = koffi.load('libnftables.so.1');
      koffi.opaque('ctnet_nft_ctx');
      cached = {
        ctxNew: lib.func('ctnet_nft_ctx *nft_ctx_new(uint32_t flags)'),
        setOutputFlags: lib.func('void nft_ctx_output_set_flags(ctnet_nft_ctx *ctx, unsigned int flags)'),
        bufferOutput: lib.func('int nft_ctx_buffer_output(ctnet_nft_ctx *ctx)'),
        bufferError: lib.func('int nft_ctx_buffer_error(ctnet_nft_ctx *ctx)'),
        run: lib.func('int nft_run_cmd_from_buffer(ctnet_nft_ctx *ctx, const char *buf)'),
        output: lib.func('const char *nft_ctx_get_output_buffer(ctnet_nft_ctx *ctx)'),
        error: lib.func('const char *nft_ctx_get_error_buffer(ctnet_nft_ctx *ctx)'),
        free: lib.func('void nft_ctx_free(ctnet_nft_ctx *ctx)'),
      };
    } catch (e) {
      cached = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (cached instanceof Error) throw cached;
  return cached;
}

/** Whether libnftables can be used here (absent: the `nft` command is used, or nothing). */
export function libnftablesLoads(): boolean {
  try {
    load();
    return true;
  } catch {
    return false;
  }
}

/** One nft command line or script (`-j` as `json`), in a namespace (null: this thread's), as `nft` would answer it. */
export function nftInProcess(netns: string | null, cmd: string, json: boolean): Spawned {
  const n = load();
  const go = (): Spawned => {
    const ctx = n.ctxNew(NFT_CTX_DEFAULT);
    if (!ctx) return { code: 1, stdout: '', stderr: 'libnftables: cannot make a context' };
    try {
      if (json) n.setOutputFlags(ctx, NFT_CTX_OUTPUT_JSON);
      n.bufferOutput(ctx);
      n.bufferError(ctx);
      const rc = n.run(ctx, cmd);
      return { code: rc === 0 ? 0 : 1, stdout: n.output(ctx) ?? '', stderr: n.error(ctx) ?? '' };
    } finally {
      n.free(ctx);
    }
  };
  return netns === null ? go() : inNetns(netns, go);
}

/** The driver's way to nftables through the library: listings in JSON, scripts as one transaction. */
export const nftLibraryExec: NftExec = (netns, req) =>
  promised(() => nftInProcess(netns, 'list' in req ? `list ${req.list.join(' ')}` : req.script, 'list' in req));
