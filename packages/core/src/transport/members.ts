import type { CanonicalHref } from './href.ts';
import { hrefPlacer } from './href.ts';
import type { DavResponse } from './multistatus.ts';

/**
 * Something a server answered that calsync ignored or could not use, reported so that an
 * app (and its logs) can see it. Carries no credentials: hrefs and statuses only.
 */
export interface ServerIssue {
  readonly kind:
    | 'href-outside' // an href not directly inside the collection: never stored, never requested
    | 'href-duplicate' // one answer named the same resource twice: the last entry was used
    | 'href-unrequested' // a multiget answer named a resource that was not asked for: ignored
    | 'object-unavailable' // listed, but its data was missing, empty or refused: stored version kept
    | 'object-unreadable'; // its data could not be parsed even alone: stored flagged invalid
  /** The collection the answer was about. */
  readonly collectionUrl: string;
  /** The href as resolved (canonical when it could be). */
  readonly href: string;
  readonly message: string;
}

/** Where transports and pulls report {@link ServerIssue}s. */
export type IssueSink = (issue: ServerIssue) => void;

/** A multistatus response about a member of the collection, its href contained and canonical. */
export interface MemberResponse extends DavResponse {
  readonly href: CanonicalHref;
}

/**
 * Splits a multistatus answer about `collectionUrl` into the responses about the
 * collection itself and those about its members — one per resource (the last one wins,
 * a repeat is reported) — and drops, reporting each, every href outside the collection.
 * This is the one gate between a server's hrefs and everything that stores or requests them.
 */
export function collectionMembers(
  responses: readonly DavResponse[],
  collectionUrl: string,
  report: IssueSink,
  member: 'object' | 'collection' = 'object',
): { self: DavResponse[]; members: MemberResponse[] } {
  const self: DavResponse[] = [];
  const members = new Map<CanonicalHref, MemberResponse>();
  const placeOf = hrefPlacer(collectionUrl, member);
  for (const response of responses) {
    const place = placeOf(response.href);
    if (place.kind === 'self') {
      self.push(response);
      continue;
    }
    if (place.kind === 'outside') {
      report({
        kind: 'href-outside',
        collectionUrl,
        href: response.href,
        message: `Ignored an href the server listed ${place.reason}: ${response.href}`,
      });
      continue;
    }
    if (members.has(place.href)) {
      members.delete(place.href);
      report({
        kind: 'href-duplicate',
        collectionUrl,
        href: place.href,
        message: `The server listed ${place.href} more than once in one answer; the last entry was used.`,
      });
    }
    members.set(place.href, { ...response, href: place.href });
  }
  return { self, members: [...members.values()] };
}
