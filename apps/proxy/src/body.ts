import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import type { BodyClaim } from './body-budget.ts';
import { BodyBudgetExceededError, BodyTooLargeError, RequestBodyTimeoutError } from './errors.ts';

/** The limits {@link readBody} enforces while a request body arrives. */
export interface ReadBodyLimits {
  /** Largest body, in bytes. */
  readonly maxBytes: number;
  /** Time for the whole body to arrive, counted from the call; progress does not extend it. */
  readonly timeoutMs: number;
  /** This request's share of the proxy-wide budget, grown as bytes arrive. */
  readonly claim: BodyClaim;
}

/**
 * Reads a whole request body. The body is buffered rather than streamed so that nothing is
 * sent upstream until it is known to be complete and within the limit: a truncated PUT must
 * never reach the CalDAV server.
 *
 * Fails (and stops listening) with {@link BodyTooLargeError} as soon as the body passes
 * `maxBytes`, {@link BodyBudgetExceededError} when `claim` cannot grow to hold it, and
 * {@link RequestBodyTimeoutError} when it is not complete within `timeoutMs`. The claim is
 * left to the caller to release.
 */
export function readBody(req: IncomingMessage, limits: ReadBodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBytes) fail(new BodyTooLargeError(limits.maxBytes));
      else if (!limits.claim.reserve(size)) fail(new BodyBudgetExceededError(limits.claim.capacity));
      else chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    // A fixed deadline rather than an idle timer: a client sending one byte every few
    // seconds never goes idle, yet would hold its connection and buffer for minutes.
    const timer = setTimeout(() => fail(new RequestBodyTimeoutError(limits.timeoutMs)), limits.timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', fail);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', fail);
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
