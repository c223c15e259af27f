// Calendar days as the office sees them. Offices are in WIB/WITA/WIT; WIB (Asia/Jakarta,
// UTC+7) is the default: a recording at 23:30 UTC counts for the next day in Malang.
import { jakartaDate, type IsoDate } from '@jemput/core';

export { jakartaDate };

export function todayInJakarta(now = new Date()): IsoDate {
  return jakartaDate(now);
}
