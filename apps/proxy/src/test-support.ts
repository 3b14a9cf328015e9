import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';

/** What a {@link FakeUpstream} received, for asserting what the proxy forwarded. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A scripted HTTP server on 127.0.0.1 that records every request it receives. */
export interface FakeUpstream {
  /** e.g. `http://127.0.0.1:40123` */
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers a recorded request; may also never answer (to test timeouts). */
export type FakeHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * Starts a fake upstream for tests. The request is recorded only once its whole body
 * arrived, so "received nothing" also means "no partial body was forwarded".
 */
export function startFakeUpstream(handler: FakeHandler): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A raw HTTP/1.1 connection, for clients fetch cannot play: partial and trickled requests. */
export interface RawClient {
  write(data: string | Buffer): void;
  /** Writes `byte` every `everyMs` until the connection closes. */
  trickle(byte: string, everyMs: number): void;
  /** Resolves once the server closed the connection, with everything it sent. */
  readonly closed: Promise<string>;
  destroy(): void;
}

/** Connects to `baseUrl` (an `http://127.0.0.1:port` URL). */
export function connectRaw(baseUrl: string): Promise<RawClient> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // Writes racing the server's close fail with EPIPE/ECONNRESET; `closed` still reports.
    socket.on('error', () => {});
    const closed = new Promise<string>((done) => {
      socket.once('close', () => {
        clearInterval(timer);
        done(Buffer.concat(received).toString('latin1'));
      });
    });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({
        write: (data) => {
          if (!socket.destroyed) socket.write(data);
        },
        trickle: (byte, everyMs) => {
          timer = setInterval(() => {
            if (!socket.destroyed) socket.write(byte);
          }, everyMs);
        },
        closed,
        destroy: () => socket.destroy(),
      });
    });
    socket.once('error', reject);
  });
}
