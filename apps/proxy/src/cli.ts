#!/usr/bin/env node
/**
 * The `calsync-proxy` command: runs the CalDAV CORS proxy. See USAGE below and the README.
 * Logs are JSON lines on stdout; they never contain headers, bodies, paths or queries.
 */
import { parseArgs } from 'node:util';
import { loadConfig, PROXY_DEFAULTS } from './config.ts';
import type { ProxyLogger } from './output.ts';
import { HEALTH_PATH, startProxyServer } from './server.ts';

const DEFAULT_PORT = 8787;
/** How long in-flight requests get to finish after SIGTERM/SIGINT. */
const SHUTDOWN_GRACE_MS = 25_000;

const USAGE = `Usage: calsync-proxy [--config <file>] [--port <port>] [--host <host>]

A CORS proxy that lets browser apps reach allowlisted CalDAV servers.

Options:
  -c, --config <file>  JSON config file (format: see the @calsync/proxy README)
  -p, --port <port>    port to listen on (default: $PORT or ${DEFAULT_PORT}; 0 = any free port)
      --host <host>    address to listen on (default: $HOST or 127.0.0.1)
  -h, --help           print this help and exit

Environment (each, when set, replaces the same setting of the config file):
  CALSYNC_PROXY_CONFIG          config file, when --config is not given
  CALSYNC_PROXY_UPSTREAMS       comma-separated upstream origins
  CALSYNC_PROXY_ALLOW_PRIVATE   1: those upstreams may be loopback/private addresses
  CALSYNC_PROXY_ORIGINS         comma-separated app origins allowed to use the proxy
  CALSYNC_PROXY_REQUIRE_ORIGIN  0: also serve requests without an Origin header
  PORT, HOST                    where to listen, when --port/--host are not given

GET ${HEALTH_PATH} answers 200 {"status":"ok"}. Logs are JSON lines on stdout.
SIGTERM or SIGINT: stop accepting, finish in-flight requests (up to ${SHUTDOWN_GRACE_MS / 1000} s), exit 0.
`;

/** A usage error: exit status 2, with the usage text. */
class UsageError extends Error {}

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

const logger: ProxyLogger = {
  warn: (message) => log('warn', message),
  request: (entry) => log('info', 'request', { ...entry }),
};

function parse(argv: readonly string[]): { help: boolean; config?: string; port?: string; host?: string } {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    // One positional config path is still accepted, for `cli.ts proxy.json`.
    if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
      throw new UsageError(`unexpected argument ${positionals.at(-1)}`);
    }
    const config = values.config ?? positionals[0];
    return {
      help: values.help === true,
      ...(config === undefined ? {} : { config }),
      ...(values.port === undefined ? {} : { port: values.port }),
      ...(values.host === undefined ? {} : { host: values.host }),
    };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // parseArgs errors name the flag ("Unknown option '--x'. To specify …"): keep that part.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split('. ')[0] ?? message);
  }
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const config = await loadConfig(args.config === undefined ? {} : { path: args.config });
  const rawPort = args.port ?? process.env.PORT;
  const port = rawPort === undefined || rawPort === '' ? DEFAULT_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`invalid port ${rawPort}`);
  const proxy = await startProxyServer(config, {
    port,
    host: args.host ?? (process.env.HOST || '127.0.0.1'),
    logger,
  });
  log('info', `calsync proxy listening on ${proxy.url}`, { url: proxy.url });
  if (config.allowedOrigins.length === 0) {
    // With requireOrigin on (the default), no allowed origin means no request gets through.
    const everyone = config.requireOrigin ?? PROXY_DEFAULTS.requireOrigin;
    log(
      'warn',
      everyone
        ? 'no allowedOrigins configured: every request will be refused (set CALSYNC_PROXY_ORIGINS)'
        : 'no allowedOrigins configured: browsers will be refused (set CALSYNC_PROXY_ORIGINS)',
    );
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal: do not wait for in-flight requests any longer.
      log('warn', `${signal} again: dropping open connections`);
      void proxy.close();
      return;
    }
    stopping = true;
    log('info', `${signal}: shutting down`, { signal });
    void proxy.shutdown(SHUTDOWN_GRACE_MS).then(() => {
      log('info', 'calsync proxy stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError) {
    process.stderr.write(`calsync-proxy: ${message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`calsync-proxy: ${message}\n`);
  process.exit(1);
});
