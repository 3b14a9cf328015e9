import { CalsyncError } from './errors.ts';

/** Checks a DAV root URL given by a user; `invalid-input` for anything unusable. */
export function validateServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CalsyncError('invalid-input', `Not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CalsyncError('invalid-input', 'The server URL must start with https:// or http://');
  }
  if (url.username || url.password) {
    throw new CalsyncError('invalid-input', 'Put the username and password in their own fields, not in the URL.');
  }
  return url.toString();
}

/** Checks `allowOrigins` (AccountInput): each an http(s) URL, kept as its origin. */
export function validateOrigins(values: readonly string[] | undefined): string[] {
  const origins = new Set<string>();
  for (const value of values ?? []) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new CalsyncError('invalid-input', `allowOrigins: not a URL: ${value}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new CalsyncError('invalid-input', 'allowOrigins: each origin must start with https:// or http://');
    }
    origins.add(url.origin);
  }
  return [...origins];
}
