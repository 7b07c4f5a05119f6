import { createServer, type Server } from 'node:http';
import type { WatchMetrics } from './metrics.js';

export interface ListenAddr {
  readonly host: string;
  readonly port: number;
}

/** `127.0.0.1:9464`, `[::1]:9464`, `:9464` (every address); undefined when it is none of these. */
export function parseListenAddr(s: string): ListenAddr | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m.at(1) ?? (m[2] || '0.0.0.0'), port };
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` (Prometheus text format) and `GET /healthz` (200 `ok` or `degraded`, 503
 * `starting` or `failing`). Nothing else is served; connections are closed on shutdown so that
 * an idle scraper's keep-alive never holds the process.
 */
export async function serveMetrics(addr: ListenAddr, metrics: WatchMetrics): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e.message}\n`),
      );
    } else if (path === '/healthz') {
      const h = metrics.health();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'text/plain' }).end(`${h.status}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  return {
    port: typeof bound === 'object' && bound ? bound.port : addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
