// Every word of the web app, in Bahasa Indonesia (the default) and English. Domain messages
// (validation problems, outcome labels) come from @jemput/core's messages instead, so the API
// and the app say the same thing.
import type { Locale } from '@jemput/core';

const id = {
  'app.tagline': 'Perekaman e-KTP di sekolah',
  'nav.schools': 'Sekolah',
  'nav.students': 'Siswa',
  'nav.drives': 'Drive',
  'nav.visits': 'Kunjungan',
  'nav.outcomes': 'Hasil',
  'nav.dashboard': 'Dasbor',
  'nav.label': 'Menu utama',
  'locale.switch': 'English',
  'locale.switchTitle': 'Switch to English',
  'soon.title': 'Segera hadir',
  'soon.body': 'Layar {screen} sedang dibuat. Sementara itu, gunakan layar Siswa.',
  'update.available': 'Versi baru tersedia — muat ulang',
  'update.reload': 'Muat ulang',
  'update.later': 'Nanti',
  'update.offlineReady': 'Jemput siap dipakai tanpa internet.',
  'students.title': 'Siswa',
  'students.count': '{count} siswa',
  'students.search': 'Cari nama, NIK, NISN atau NPSN…',
  'students.allSchools': 'Semua sekolah',
  'students.school': 'Sekolah',
  'col.name': 'Nama',
  'col.nisn': 'NISN',
  'col.nik': 'NIK',
  'col.sex': 'JK',
  'col.birthPlace': 'Tempat lahir',
  'col.birthDate': 'Tanggal lahir',
  'col.className': 'Kelas',
  'col.married': 'Menikah',
  'col.school': 'Sekolah',
  'grid.saving': 'Menyimpan…',
  'grid.saved': 'Tersimpan',
  'grid.savedCount': '{count} baris tersimpan',
  'grid.pasted': 'Tempel: {updated} diubah, {created} baru, {rejected} ditolak, {conflicts} bentrok',
  'grid.undone': 'Dibatalkan: {label}',
  'grid.redone': 'Diulang: {label}',
  'grid.nothingToUndo': 'Tidak ada yang bisa dibatalkan',
  'grid.nothingToRedo': 'Tidak ada yang bisa diulang',
  'grid.copied': '{count} sel disalin',
  'grid.skipped': 'Kolom yang tidak bisa diubah dilewati: {fields}',
  'grid.missingRows': '{count} baris belum dimuat dan dilewati',
  'grid.held': '{count} baris baru belum disimpan karena ada kesalahan',
  'grid.error': 'Gagal menyimpan: {message}',
  'grid.conflict': 'Diubah orang lain sejak Anda memuatnya. Nilai Anda: {mine} · nilai sekarang: {theirs}',
  'grid.keepMine': 'Pakai nilai saya',
  'grid.keepTheirs': 'Pakai nilai sekarang',
  'grid.hint': 'Shift+panah: pilih rentang · Ctrl+C/Ctrl+V: salin/tempel · Ctrl+D: isi ke bawah · Ctrl+Z/Ctrl+Y: batal/ulang · Delete: kosongkan',
  'grid.label.edit': 'ubah sel',
  'grid.label.paste': 'tempel',
  'grid.label.fill': 'isi ke bawah',
  'grid.label.clear': 'kosongkan',
  'grid.empty': '(kosong)',
  'grid.filter.before': 'Sebelum',
  'grid.filter.after': 'Sesudah',
  'offline': 'Tidak ada koneksi ke server',
} as const;

export type MessageKey = keyof typeof id;

const en: Record<MessageKey, string> = {
  'app.tagline': 'e-KTP recording at schools',
  'nav.schools': 'Schools',
  'nav.students': 'Students',
  'nav.drives': 'Drives',
  'nav.visits': 'Visits',
  'nav.outcomes': 'Outcomes',
  'nav.dashboard': 'Dashboard',
  'nav.label': 'Main menu',
  'locale.switch': 'Bahasa Indonesia',
  'locale.switchTitle': 'Ganti ke Bahasa Indonesia',
  'soon.title': 'Coming soon',
  'soon.body': 'The {screen} screen is being built. Meanwhile, use the Students screen.',
  'update.available': 'New version available — reload',
  'update.reload': 'Reload',
  'update.later': 'Later',
  'update.offlineReady': 'Jemput is ready to work offline.',
  'students.title': 'Students',
  'students.count': '{count} students',
  'students.search': 'Search name, NIK, NISN or NPSN…',
  'students.allSchools': 'All schools',
  'students.school': 'School',
  'col.name': 'Name',
  'col.nisn': 'NISN',
  'col.nik': 'NIK',
  'col.sex': 'Sex',
  'col.birthPlace': 'Birthplace',
  'col.birthDate': 'Birth date',
  'col.className': 'Class',
  'col.married': 'Married',
  'col.school': 'School',
  'grid.saving': 'Saving…',
  'grid.saved': 'Saved',
  'grid.savedCount': '{count} rows saved',
  'grid.pasted': 'Paste: {updated} changed, {created} new, {rejected} rejected, {conflicts} conflicts',
  'grid.undone': 'Undone: {label}',
  'grid.redone': 'Redone: {label}',
  'grid.nothingToUndo': 'Nothing to undo',
  'grid.nothingToRedo': 'Nothing to redo',
  'grid.copied': '{count} cells copied',
  'grid.skipped': 'Read-only columns skipped: {fields}',
  'grid.missingRows': '{count} rows not loaded yet were skipped',
  'grid.held': '{count} new rows not saved because of errors',
  'grid.error': 'Could not save: {message}',
  'grid.conflict': 'Changed by someone else since you loaded it. Yours: {mine} · now: {theirs}',
  'grid.keepMine': 'Keep mine',
  'grid.keepTheirs': 'Keep current',
  'grid.hint': 'Shift+arrows: select a range · Ctrl+C/Ctrl+V: copy/paste · Ctrl+D: fill down · Ctrl+Z/Ctrl+Y: undo/redo · Delete: clear',
  'grid.label.edit': 'edit cell',
  'grid.label.paste': 'paste',
  'grid.label.fill': 'fill down',
  'grid.label.clear': 'clear',
  'grid.empty': '(empty)',
  'grid.filter.before': 'Before',
  'grid.filter.after': 'After',
  'offline': 'No connection to the server',
};

export const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { id, en };

/** The text of a key in a locale, with `{param}` placeholders filled in. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = DICTIONARIES[locale][key] ?? DICTIONARIES.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? formatParam(locale, params[name]!) : whole));
}

function formatParam(locale: Locale, value: string | number): string {
  return typeof value === 'number' ? formatNumber(locale, value) : value;
}

/** Numbers with the locale's separators: 12.000 and 1.234,5 in Indonesian, 12,000 in English. */
export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', options).format(value);
}

/** Percentages: 45,3% in Indonesian. `ratio` is 0..1. */
export function formatPercent(locale: Locale, ratio: number, fractionDigits = 1): string {
  return formatNumber(locale, ratio, { style: 'percent', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}
