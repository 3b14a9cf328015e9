import { toObjectRecord } from '../model/object-record.ts';
import type { ObjectRecord, OutboxRecord } from '../model/records.ts';
import type { CalDavWriter, WriteResult } from '../transport/port.ts';

/**
 * The replica row after a successful PUT. A server that changed what we sent must not
 * return an ETag (RFC 4791 §5.3.4), so no ETag means "re-read it".
 */
export async function confirmedRow(
  ctx: { readonly writer: CalDavWriter },
  entry: OutboxRecord,
  result: Pick<WriteResult, 'etag'>,
  ics = entry.ics ?? '',
): Promise<ObjectRecord> {
  if (result.etag !== undefined) return toObjectRecord(entry.calendarId, entry.href, result.etag, ics);
  const fresh = await ctx.writer.get(entry.href);
  if (fresh.status === 200) {
    const row = toObjectRecord(entry.calendarId, entry.href, fresh.etag, fresh.ics);
    if (row.state === 'ok') return row;
  }
  // Gone again, or what came back is no calendar object (an HTML page, say): keep what we
  // sent, without an ETag, so the next full listing fetches the server's version.
  return toObjectRecord(entry.calendarId, entry.href, undefined, ics);
}
