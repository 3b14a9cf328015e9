import type { CalsyncError } from '@calsync/core';

/** Words a user understands for each SDK error code. */
export function describeError(error: { code?: string; message?: string } | CalsyncError | unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  switch (code) {
    case 'auth':
      return 'The server did not accept the username or password.';
    case 'network':
      return 'The calendar server cannot be reached right now. Your calendars are still available offline.';
    case 'not-found':
      return 'No calendars were found at that address. Check the server URL.';
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
    case 'internal':
      return 'Something went wrong inside the app. Reload the page and try again.';
    case 'invalid-input':
      return (error as { message?: string }).message ?? 'Please check the form.';
    default:
      return (error as { message?: string } | undefined)?.message ?? 'Something went wrong.';
  }
}
