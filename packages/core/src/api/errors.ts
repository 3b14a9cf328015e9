/**
 * The one error class of calsync. Every failure the SDK reports is a `CalsyncError`
 * with a stable string `code`; callers branch on `code`, never on message text.
 *
 * Invariant: messages and `detail` never contain credentials (passwords, Authorization
 * headers). Transport code strips them before constructing an error.
 */
export const ERROR_CODES = [
  'auth',
  'network',
  'not-found',
  'bad-data',
  'server',
  'conflict',
  'quota',
  'invalid-input',
  'untrusted-origin',
  'closed',
  'worker',
  'internal',
] as const;

/**
 * A machine-readable reason for a {@link CalsyncError} (see the README's error table).
 *
 * @useDeclaredType
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A code read back from storage: one of {@link ERROR_CODES}, else `internal` (a record
 * written by a build that knew a code this one does not).
 */
export function storedErrorCode(value: unknown): ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value) ? (value as ErrorCode) : 'internal';
}

/**
 * Options for constructing a {@link CalsyncError}.
 *
 * @inline
 */
export interface CalsyncErrorOptions {
  /** Whether trying the same operation again later may succeed. Defaults by code. */
  retryable?: boolean;
  /** HTTP status of the server answer that caused the error, if any. */
  status?: number;
  /** The underlying error. Not serialised across the Worker boundary beyond its message. */
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set(['network', 'server', 'quota']);

/** Base error of calsync: `name` is always `'CalsyncError'`, `code` says what failed. */
export class CalsyncError extends Error {
  /** Always `'CalsyncError'`. */
  override readonly name = 'CalsyncError';
  /** What failed; branch on this, never on the message. */
  readonly code: ErrorCode;
  /** Whether trying the same operation again later may succeed (by default for `network`, `server`, `quota`). */
  readonly retryable: boolean;
  /** HTTP status of the server answer that caused the error; `undefined` when none did. */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: CalsyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.status = options.status;
  }
}

/** True when `value` is a {@link CalsyncError}, optionally of the given code. */
export function isCalsyncError(value: unknown, code?: ErrorCode): value is CalsyncError {
  return value instanceof CalsyncError && (code === undefined || value.code === code);
}

/** Wraps anything thrown into a CalsyncError, keeping an existing one as it is. */
export function toCalsyncError(value: unknown, fallback: ErrorCode = 'internal'): CalsyncError {
  if (value instanceof CalsyncError) return value;
  if (isQuotaError(value)) {
    return new CalsyncError('quota', 'The browser refused to store more data (storage quota exceeded).', {
      cause: value,
    });
  }
  const message = value instanceof Error ? value.message : String(value);
  return new CalsyncError(fallback, message, { cause: value });
}

function isQuotaError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'QuotaExceededError';
}
