// Calendar days as the office sees them. Offices are in WIB/WITA/WIT; WIB (Asia/Jakarta,
// UTC+7) is the default: a recording at 23:30 UTC counts for the next day in Malang.
import type { IsoDate } from '@jemput/core';

const jakartaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' });

export function jakartaDate(moment: Date | string): IsoDate {
  return jakartaDay.format(new Date(moment));
}

export function todayInJakarta(now = new Date()): IsoDate {
  return jakartaDate(now);
}
