import type { ConflictRecord, OutboxRecord } from '../model/records.ts';
import { canonicalCollection, placeHref } from '../transport/href.ts';
import type { UpgradeTransaction } from './migrations.ts';

/**
 * Schema 4: every stored href in the canonical form pulls now compare in (transport/href.ts).
 * Rows written before kept the server's or our own spelling (`a%40b.ics` beside the
 * server's `a@b.ics`), which made one object two. Rows are re-keyed; when two rows are one
 * object, the one with a local edit wins (else the first), and when two outbox entries are
 * one object, the newer is kept and the older becomes a Conflict — no edit is dropped.
 * Object rows outside their calendar (stored before hrefs were contained) are removed
 * unless a local edit holds them (the push then refuses to send it).
 */
export async function canonicalizeStoredHrefs(tx: UpgradeTransaction): Promise<void> {
  const calendars = tx.objectStore('calendars');
  const urls = new Map<string, string>();
  for (const calendar of await calendars.getAll()) {
    const url = canonicalOr(calendar.url);
    urls.set(calendar.id, url);
    if (url !== calendar.url) await calendars.put({ ...calendar, url });
  }
  // The canonical href, or undefined for one outside its calendar; rows of an unknown
  // calendar keep theirs.
  const member = (calendarId: string, href: string): string | undefined => {
    const url = urls.get(calendarId);
    if (url === undefined) return href;
    const place = placeHref(url, href);
    return place.kind === 'member' ? place.href : undefined;
  };

  const outbox = tx.objectStore('outbox');
  const edited = new Set<string>();
  for (const entry of await outbox.getAll()) {
    const href = member(entry.calendarId, entry.href) ?? entry.href;
    edited.add(key(entry.calendarId, href));
    if (href === entry.href) continue;
    await outbox.delete([entry.calendarId, entry.href]);
    const other = await outbox.get([entry.calendarId, href]);
    if (other === undefined) {
      await outbox.put({ ...entry, href });
      continue;
    }
    const [kept, older] = other.updatedAt >= entry.updatedAt ? [other, entry] : [{ ...entry, href }, other];
    await outbox.put(kept);
    await tx.objectStore('conflicts').put(conflictFor(older, href));
  }

  const conflicts = tx.objectStore('conflicts');
  for (const conflict of await conflicts.getAll()) {
    const href = member(conflict.calendarId, conflict.href) ?? conflict.href;
    if (href !== conflict.href) await conflicts.put({ ...conflict, href });
  }

  const syncState = tx.objectStore('syncState');
  for (const state of await syncState.getAll()) {
    if (!state.retry) continue;
    const retry = [...new Set(state.retry.map((h) => member(state.calendarId, h)).filter((h) => h !== undefined))];
    await syncState.put({ ...state, retry });
  }

  const objects = tx.objectStore('objects');
  for (let cursor = await objects.openCursor(); cursor; cursor = await cursor.continue()) {
    const row = cursor.value;
    const href = member(row.calendarId, row.href);
    if (href === row.href) continue;
    if (href === undefined) {
      if (!edited.has(key(row.calendarId, row.href))) await cursor.delete();
      continue;
    }
    const other = await objects.get([row.calendarId, href]);
    if (other === undefined || (row.pending && !other.pending)) await objects.put({ ...row, href });
    await cursor.delete();
  }
}

function canonicalOr(url: string): string {
  try {
    return canonicalCollection(url);
  } catch {
    return url;
  }
}

function key(calendarId: string, href: string): string {
  return `${calendarId}\n${href}`;
}

/** An outbox entry that lost its slot to another edit of the same object, kept as a Conflict. */
function conflictFor(entry: OutboxRecord, href: string): ConflictRecord {
  return {
    id: entry.id,
    calendarId: entry.calendarId,
    href,
    ...(entry.uid === undefined ? {} : { uid: entry.uid }),
    ...(entry.summary === undefined ? {} : { summary: entry.summary }),
    kind: 'edit-edit',
    ...(entry.baseIcs === undefined ? {} : { base: entry.baseIcs }),
    ...(entry.ics === undefined ? {} : { local: entry.ics }),
    current: 'local',
    properties: [],
    createdAt: entry.updatedAt,
  };
}
