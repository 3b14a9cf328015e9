import { CalsyncError } from '../api/errors.ts';

/** The failure side of a {@link Result}. */
export interface Failure {
  readonly ok: false;
  readonly error: CalsyncError;
}

/**
 * Outcome of an `ical/` function that can fail on expected bad input or data: either
 * `ok: true` with the fields of `T` (`{ ok: true, calendar }`), or `ok: false` with a
 * {@link CalsyncError} (`invalid-input` for bad arguments, `bad-data` for unreadable ICS).
 * Expected failures are returned this way, never thrown and never given as bare message
 * strings; `Result` alone (`T = object`) is a success without fields.
 */
export type Result<T extends object = object> = ({ readonly ok: true } & T) | Failure;

/** A failed {@link Result}. */
export function fail(error: CalsyncError): Failure {
  return { ok: false, error };
}

/** An `invalid-input` error. */
function invalidInput(message: string): CalsyncError {
  return new CalsyncError('invalid-input', message);
}

/** A `bad-data` error for ICS text that cannot be used. */
function badData(message: string, cause?: unknown): CalsyncError {
  return new CalsyncError('bad-data', message, cause === undefined ? {} : { cause });
}

/** A failed {@link Result} with an `invalid-input` error. */
export function failInput(message: string): Failure {
  return fail(invalidInput(message));
}

/** A failed {@link Result} with a `bad-data` error. */
export function failData(message: string, cause?: unknown): Failure {
  return fail(badData(message, cause));
}
