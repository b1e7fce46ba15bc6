// Times in the user's own zone and language (the browser's), e.g. "1 Dec 2026, 10:02:21".
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

const zoned = new Map<string, Intl.DateTimeFormat>();

/** An instant as the clock shows it in `timeZone` (IANA), with the weekday: "Sat, 28 Mar 2026, 02:30". */
export function formatDateTimeInZone(iso: string, timeZone: string): string {
  let format = zoned.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone });
    zoned.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

/** The user's own time zone (the browser's), e.g. Europe/Amsterdam. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
