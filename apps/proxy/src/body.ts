import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { BodyTooLargeError } from './errors.ts';

/**
 * Reads a whole request body, failing with {@link BodyTooLargeError} as soon as it passes
 * `limit` bytes. The body is buffered rather than streamed so that nothing is sent upstream
 * until it is known to be complete and within the limit: a truncated PUT must never reach
 * the CalDAV server.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * A pass-through stream that errors with {@link BodyTooLargeError} once more than `limit`
 * bytes went through, so a pipeline tears down both ends instead of ending cleanly with a
 * truncated body.
 */
export function byteLimit(limit: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) callback(new BodyTooLargeError(limit));
      else callback(null, chunk);
    },
  });
}
