// Data tables for the demo seed: plausible (East) Javanese names, places, streets and school
// kinds of a city like Malang. Invented combinations; any likeness to a real person is chance.
import type { SchoolLevel, SchoolStatus } from '../generated/sqlite/client.ts';

export const MALE_FIRST_NAMES = [
  'Ahmad', 'Muhammad', 'Moch.', 'Rizky', 'Dimas', 'Bagus', 'Aditya', 'Fajar', 'Yoga', 'Wahyu', 'Eko', 'Dwi',
  'Agus', 'Bayu', 'Gilang', 'Ilham', 'Reza', 'Andika', 'Arif', 'Satria', 'Galih', 'Danu', 'Raka', 'Fikri',
  'Naufal', 'Rafi', 'Daffa', 'Alif', 'Yusuf', 'Farhan', 'Hafidz', 'Kevin', 'Rendra', 'Anang', 'Bima', 'Candra',
  'Dani', 'Erlangga', 'Feri', 'Hendra', 'Irfan', 'Joko', 'Krisna', 'Lutfi', 'Mahendra', 'Nanda', 'Putra',
  'Rangga', 'Sakti', 'Taufik', 'Wisnu', 'Zaki', "Ma'ruf", 'Khoirul', 'Syaiful', 'Abdul', 'Rizal', 'Ryan',
] as const;

export const MALE_LAST_NAMES = [
  'Pratama', 'Saputra', 'Nugroho', 'Wicaksono', 'Setiawan', 'Prasetyo', 'Kurniawan', 'Hidayat', 'Santoso',
  'Wibowo', 'Ramadhan', 'Firmansyah', 'Maulana', 'Hakim', 'Susanto', 'Purnomo', 'Hartono', 'Kusuma',
  'Permana', 'Aditama', 'Wijaya', 'Anam', 'Fauzi', 'Rahman', 'Syahputra', 'Mahardika', 'Nur Hidayat',
  'Setyawan', 'Suryanto', 'Budiman', 'Prakoso', 'Sanjaya', 'Alfarizi', 'Akbar', 'Rosyid', 'Ardiansyah',
] as const;

export const FEMALE_FIRST_NAMES = [
  'Siti', 'Dewi', 'Putri', 'Ayu', 'Anisa', 'Nur', 'Rina', 'Sri', 'Wulan', 'Intan', 'Dinda', 'Nadia', 'Aulia',
  'Salsabila', 'Zahra', 'Alya', 'Nabila', 'Citra', 'Fitri', 'Rahma', 'Laras', 'Sekar', 'Kirana', 'Anggun',
  'Bunga', 'Cahya', 'Dian', 'Eka', 'Febriana', 'Galuh', 'Hana', 'Indah', 'Jihan', 'Kartika', 'Lia', 'Maya',
  'Novita', 'Oktavia', 'Puspa', 'Ratna', 'Shinta', 'Tiara', 'Umi', 'Vina', 'Yuni', 'Zulfa', 'Khusnul', "Nur'aini",
] as const;

export const FEMALE_LAST_NAMES = [
  'Rahayu', 'Lestari', 'Wulandari', 'Permatasari', 'Safitri', 'Anggraini', 'Puspitasari', 'Maharani',
  'Kusumawati', 'Handayani', 'Utami', 'Pratiwi', 'Oktaviani', 'Ramadhani', 'Azzahra', 'Fadilah', 'Nuraini',
  'Kurniasari', 'Setyaningsih', 'Rahmawati', 'Febrianti', 'Novitasari', 'Purwanti', 'Susilowati', 'Agustina',
  'Cahyani', 'Damayanti', 'Hidayah', 'Khoirunnisa', 'Mardiyah', 'Nurhayati', 'Rosita', 'Sholihah', 'Zakiyah',
] as const;

/** Most students of a city school are born in the city itself (weight of the home city). */
export const HOME_BIRTH_PLACE_WEIGHT = 70;
/** The others are born nearby or in big cities. */
export const OTHER_BIRTH_PLACES: readonly { place: string; weight: number }[] = [
  { place: 'Malang', weight: 3 },
  { place: 'Surabaya', weight: 5 },
  { place: 'Pasuruan', weight: 4 },
  { place: 'Blitar', weight: 3 },
  { place: 'Batu', weight: 3 },
  { place: 'Kediri', weight: 2 },
  { place: 'Probolinggo', weight: 2 },
  { place: 'Lumajang', weight: 2 },
  { place: 'Sidoarjo', weight: 2 },
  { place: 'Jember', weight: 1 },
  { place: 'Mojokerto', weight: 1 },
  { place: 'Tulungagung', weight: 1 },
  { place: 'Banyuwangi', weight: 1 },
  { place: 'Jakarta', weight: 1 },
  { place: 'Bandung', weight: 1 },
];

export const STREET_NAMES = [
  'Veteran', 'Tugu', 'Ijen', 'Soekarno-Hatta', 'Bandung', 'Kawi', 'Danau Toba', 'Ki Ageng Gribig',
  'Mayjen Panjaitan', 'Raya Tlogomas', 'Sigura-gura', 'Terusan Dieng', 'Simpang Borobudur', 'Letjen S. Parman',
  'Ahmad Yani', 'Raya Langsep', 'Gajayana', 'Merdeka Selatan', 'Kolonel Sugiono', 'Laksda Adi Sucipto',
  'Mayjen Sungkono', 'Raya Sawojajar', 'Candi Panggung', 'Sudimoro', 'Bendungan Sutami', 'Galunggung',
  'Arjuno', 'Semeru', 'Bromo', 'Pahlawan Trip', 'Jaksa Agung Suprapto', 'Raya Dieng', 'Kyai Tamin',
] as const;

/** Contact persons are teachers (usually the deputy head for student affairs). */
export const CONTACT_TITLES_BEFORE = { L: ['', '', '', 'Drs. ', 'H. '], P: ['', '', '', 'Dra. ', 'Hj. '] } as const;
export const CONTACT_DEGREES_AFTER = [', S.Pd.', ', S.Pd.', ', M.Pd.', ', S.Kom.', ', S.Ag.', ', M.Si.', ', S.Pd.I.'] as const;

/** Indonesian mobile prefixes after the leading 08 (Telkomsel, Indosat, XL, Tri, Smartfren). */
export const MOBILE_OPERATOR_CODES = ['11', '12', '13', '21', '22', '23', '52', '53', '56', '57', '58', '77', '78', '81', '82', '83', '85', '95', '96'] as const;

/** Rombel (class group) majors per school level. SLB groups are named by disability type letter. */
export const MAJORS: Record<SchoolLevel, readonly string[]> = {
  SMA: ['IPA', 'IPA', 'IPS'],
  SMK: ['TKJ', 'RPL', 'AKL', 'OTKP', 'TKR', 'TBSM', 'MM', 'DKV', 'TP'],
  MA: ['IPA', 'IPS', 'Agama'],
  SLB: ['A', 'B', 'C', 'D'],
  OTHER: ['Umum'],
};

/**
 * Kinds of schools a city has, with how many of each (weight) and how big they are (relative
 * students per school). `name` builds e.g. "SMA Negeri 3 Malang" from the number within the
 * kind, the short city name ("Malang") and the regency name ("Kota Malang").
 */
export type SchoolKind = {
  level: SchoolLevel;
  status: SchoolStatus;
  weight: number;
  size: number;
  /** Share of girls; SMKs with technical majors have fewer. */
  femaleShare: number;
  /** NPSNs of madrasahs (Kemenag) and of schools (Kemdikbud) differ in their first digits. */
  npsnPrefix: string;
  name: (n: number, city: string, regencyName: string) => string;
};

export const SCHOOL_KINDS: readonly SchoolKind[] = [
  { level: 'SMA', status: 'NEGERI', weight: 10, size: 1.0, femaleShare: 0.55, npsnPrefix: '20533', name: (n, city) => `SMA Negeri ${n} ${city}` },
  { level: 'SMK', status: 'NEGERI', weight: 13, size: 1.15, femaleShare: 0.42, npsnPrefix: '20533', name: (n, city) => `SMK Negeri ${n} ${city}` },
  { level: 'MA', status: 'NEGERI', weight: 2, size: 0.8, femaleShare: 0.56, npsnPrefix: '20584', name: (n, _city, regency) => `MA Negeri ${n} ${regency}` },
  { level: 'SLB', status: 'NEGERI', weight: 1, size: 0.08, femaleShare: 0.45, npsnPrefix: '20533', name: (n, city) => `SLB Negeri ${n} ${city}` },
  { level: 'SMA', status: 'SWASTA', weight: 2, size: 0.5, femaleShare: 0.52, npsnPrefix: '20533', name: (n, city) => `SMA Muhammadiyah ${n} ${city}` },
  { level: 'SMA', status: 'SWASTA', weight: 2, size: 0.5, femaleShare: 0.52, npsnPrefix: '20533', name: (n, city) => `SMA Islam ${n} ${city}` },
  { level: 'SMA', status: 'SWASTA', weight: 2, size: 0.55, femaleShare: 0.5, npsnPrefix: '20533', name: (n, city) => `SMA Katolik ${n} ${city}` },
  { level: 'SMA', status: 'SWASTA', weight: 1, size: 0.45, femaleShare: 0.5, npsnPrefix: '20533', name: (n, city) => `SMA Kristen ${n} ${city}` },
  { level: 'SMK', status: 'SWASTA', weight: 5, size: 0.6, femaleShare: 0.4, npsnPrefix: '20533', name: (n, city) => `SMK PGRI ${n} ${city}` },
  { level: 'SMK', status: 'SWASTA', weight: 3, size: 0.55, femaleShare: 0.4, npsnPrefix: '20533', name: (n, city) => `SMK Muhammadiyah ${n} ${city}` },
  { level: 'SMK', status: 'SWASTA', weight: 2, size: 0.5, femaleShare: 0.38, npsnPrefix: '20533', name: (n, city) => `SMK Nasional ${n} ${city}` },
  { level: 'MA', status: 'SWASTA', weight: 1, size: 0.35, femaleShare: 0.58, npsnPrefix: '20584', name: (n, city) => `MA Muhammadiyah ${n} ${city}` },
  { level: 'MA', status: 'SWASTA', weight: 1, size: 0.35, femaleShare: 0.58, npsnPrefix: '20584', name: (n, city) => `MA Al-Ma'arif ${n} ${city}` },
  { level: 'SLB', status: 'SWASTA', weight: 1, size: 0.06, femaleShare: 0.45, npsnPrefix: '20533', name: (n, city) => `SLB Bhakti Pertiwi ${n} ${city}` },
];

/** The demo office's staff: one user per role. */
/**
 * One demo user per role, with public passwords (README "Accounts and roles"). operator1 is
 * field team "Tim 1", limited to the two districts that team visits most.
 */
export const DEMO_USERS = [
  { username: 'admin', displayName: 'Bambang Sutrisno', role: 'ADMIN', password: 'jemput-admin', team: null },
  { username: 'supervisor', displayName: 'Sri Wahyuni', role: 'SUPERVISOR', password: 'jemput-supervisor', team: null },
  { username: 'operator1', displayName: 'Agus Prasetyo', role: 'OPERATOR', password: 'jemput-operator1', team: 'Tim 1' },
  { username: 'viewer', displayName: 'Dewi Kartikasari', role: 'VIEWER', password: 'jemput-viewer', team: null },
] as const;

/** Visit time windows, fitted around lessons. */
export const VISIT_TIME_WINDOWS = [
  { startTime: '07:30', endTime: '11:30' },
  { startTime: '08:00', endTime: '12:00' },
  { startTime: '08:00', endTime: '13:00' },
  { startTime: '09:00', endTime: '12:00' },
] as const;

/** Why a visit did not record a student, as an officer would note it. */
export const OUTCOME_NOTES = {
  RECORDED: [null],
  ALREADY_RECORDED: ['Sudah rekam di kantor Dukcapil', 'Sudah rekam di kecamatan', 'Sudah rekam saat di sekolah sebelumnya'],
  ABSENT: ['Sakit', 'Izin kegiatan lomba', 'Tidak masuk tanpa keterangan', 'Izin acara keluarga'],
  REFUSED: ['Belum ada izin orang tua', 'Menolak, ingin rekam bersama keluarga'],
  FAILED: ['Sidik jari tidak terbaca', 'Perangkat rekam error, ulang di kunjungan berikut', 'Iris tidak terbaca'],
  NOT_ELIGIBLE: ['Bukan penduduk setempat (KK luar daerah)', 'Data kependudukan belum ada di database'],
} as const;
