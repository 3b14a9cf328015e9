import type { CalendarRecord } from '../model/records.ts';
import type { RemoteCalendar } from '../transport/port.ts';

// One calendar, as stored and as the server describes it, for the pull tests.

export const CAL = 'https://dav.example/cal/';

export const calendar: CalendarRecord = {
  id: 'c1',
  accountId: 'a1',
  url: CAL,
  displayName: 'Cal',
  components: ['VEVENT'],
  readOnly: false,
  supportsSyncCollection: true,
};

/** The server's description of {@link calendar}, with `extra` fields changed. */
export function remote(extra: Partial<RemoteCalendar> = {}): RemoteCalendar {
  return {
    url: CAL,
    displayName: 'Cal',
    color: undefined,
    ctag: undefined,
    syncToken: undefined,
    components: ['VEVENT'],
    readOnly: false,
    supportsSyncCollection: true,
    ...extra,
  };
}
