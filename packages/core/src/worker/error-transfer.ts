import { transferHandlers } from 'comlink';
import { CalsyncError, type ErrorCode, toCalsyncError } from '../api/errors.ts';

interface SerializedError {
  readonly calsync: true;
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
}

let registered = false;

/**
 * Makes thrown errors keep their class and `code` across the Worker boundary. Comlink's
 * own handler rebuilds a plain Error with only name/message/stack; we wrap its `throw`
 * handler (keeping its detection of thrown values) and send every error as a
 * CalsyncError. Must run on both sides: in the Worker and in the page.
 */
export function registerErrorTransfer(): void {
  if (registered) return;
  const original = transferHandlers.get('throw');
  if (!original) return;
  registered = true;
  transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize(thrown: unknown) {
      const error = toCalsyncError((thrown as { value: unknown }).value);
      const serialized: SerializedError = {
        calsync: true,
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        status: error.status,
      };
      return [serialized, []];
    },
    deserialize(serialized: unknown): never {
      const value = serialized as SerializedError;
      throw new CalsyncError(value.code, value.message, {
        retryable: value.retryable,
        ...(value.status === undefined ? {} : { status: value.status }),
      });
    },
  });
}
