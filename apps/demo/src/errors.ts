import type { CalsyncError } from '@calsync/core';

type ErrorLike = { code?: string; message?: string } | CalsyncError | unknown;

const codeOf = (error: ErrorLike) => (error as { code?: unknown } | undefined)?.code;
const messageOf = (error: ErrorLike) => {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
};

/**
 * Words a user understands for each SDK error code, for work on data already added (sync,
 * editing, conflicts). Codes whose meaning depends on what failed (`not-found`: an event,
 * a conflict, a calendar on the server; `untrusted-origin`) show the SDK's own message,
 * which names that thing; the SDK guarantees it holds no credentials.
 */
export function describeError(error: ErrorLike): string {
  switch (codeOf(error)) {
    case 'auth':
      return 'The server did not accept the username or password.';
    case 'network':
      return 'The calendar server cannot be reached right now. Your calendars are still available offline.';
    case 'bad-data':
      return 'The server sent data that could not be read. Nothing stored was lost.';
    case 'server':
      return 'The calendar server had a problem. Try again later.';
    case 'quota':
      return 'This browser has no more room to store calendars.';
    case 'conflict':
      return 'This event was changed on the server at the same time. Review the conflict to choose a version.';
    case 'closed':
      return 'The calendar engine was shut down. Reload the page.';
    case 'worker':
      return 'The calendar engine could not start or stopped. Reload the page.';
    case 'internal':
      return 'Something went wrong inside the app. Reload the page and try again.';
    case 'invalid-input':
      return messageOf(error) ?? 'Please check the form.';
    case 'not-found':
      return messageOf(error) ?? 'It does not exist (any more).';
    default:
      return messageOf(error) ?? 'Something went wrong.';
  }
}

/**
 * What a failed `addAccount` means to the person who filled in the form: there are no
 * calendars on this device yet, and each code points at a different field or cause.
 */
export function describeAddAccountError(error: ErrorLike): string {
  const message = messageOf(error);
  switch (codeOf(error)) {
    case 'not-found':
      return 'There is no CalDAV calendar home at this URL. Check the server URL (the DAV root).';
    case 'auth':
      return 'The server did not accept the username or password.';
    case 'network':
      return 'The server cannot be reached. Check the server URL and your connection.';
    case 'untrusted-origin':
      // The SDK's message names the other origin; it is the "(…)" the user needs to judge.
      return `The server sent us to another host; calsync does not send your password there.${message ? ` (${message})` : ''}`;
    case 'bad-data':
      return 'The server at this URL did not answer like a CalDAV server (its answer could not be read). Check the server URL.';
    default:
      return describeError(error);
  }
}
