#!/usr/bin/env tsx
/**
 * Runs the CalDAV CORS proxy: `tsx apps/proxy/src/cli.ts [config.json]`.
 *
 * Config file from the first argument or `CALSYNC_PROXY_CONFIG`; the environment may set or
 * replace `CALSYNC_PROXY_UPSTREAMS`, `CALSYNC_PROXY_ALLOW_PRIVATE=1`, `CALSYNC_PROXY_ORIGINS`,
 * `CALSYNC_PROXY_REQUIRE_ORIGIN=0`; `PORT` (default 8787) and `HOST` (default 127.0.0.1)
 * choose where it listens.
 */
import { loadConfig, PROXY_DEFAULTS } from './config.ts';
import { startProxyServer } from './server.ts';

const DEFAULT_PORT = 8787;

async function main(): Promise<void> {
  const path = process.argv[2];
  const config = await loadConfig(path === undefined ? {} : { path });
  const port = process.env.PORT === undefined ? DEFAULT_PORT : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT: invalid port ${process.env.PORT}`);
  const proxy = await startProxyServer(config, {
    port,
    host: process.env.HOST ?? '127.0.0.1',
    logger: { warn: (message) => console.warn(message) },
  });
  console.info(`calsync proxy listening on ${proxy.url}`);
  if (config.allowedOrigins.length === 0) {
    // With requireOrigin on (the default), no allowed origin means no request gets through.
    const everyone = config.requireOrigin ?? PROXY_DEFAULTS.requireOrigin;
    console.warn(
      everyone
        ? 'no allowedOrigins configured: every request will be refused (set CALSYNC_PROXY_ORIGINS)'
        : 'no allowedOrigins configured: browsers will be refused (set CALSYNC_PROXY_ORIGINS)',
    );
  }
  const stop = (): void => {
    void proxy.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`calsync proxy: ${message}`);
  process.exit(1);
});
