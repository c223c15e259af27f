// The seed summary as officers read it (Indonesian, dd/mm/yyyy dates, 12.000-style numbers).
import { formatDateId, outcomeStatusLabel } from '@jemput/core';
import type { SeedSummary } from './demo.ts';

const VISIT_STATUS_LABELS: Record<keyof SeedSummary['visits']['byStatus'], string> = {
  DONE: 'selesai',
  CONFIRMED: 'terkonfirmasi',
  PLANNED: 'direncanakan',
  CANCELLED: 'dibatalkan',
  RESCHEDULED: 'dijadwalkan ulang',
};

function n(value: number): string {
  return value.toLocaleString('id-ID');
}

export function formatSeedSummary(s: SeedSummary): string {
  const visitParts = Object.entries(VISIT_STATUS_LABELS).map(
    ([status, label]) => `${n(s.visits.byStatus[status as keyof typeof VISIT_STATUS_LABELS])} ${label}`,
  );
  const outcomeParts = Object.entries(s.outcomes.byStatus).map(
    ([status, count]) => `${outcomeStatusLabel(status as keyof typeof s.outcomes.byStatus).toLowerCase()} ${n(count)}`,
  );
  return [
    `Data demo dibuat untuk ${s.office.name} (${s.office.provinceName}), hari ini ${formatDateId(s.today)}.`,
    `  Wilayah     : ${n(s.regions.districts)} kecamatan, ${n(s.regions.villages)} desa/kelurahan`,
    `  Sekolah     : ${n(s.schools)}`,
    `  Siswa       : ${n(s.students.total)} — ${n(s.students.eligible)} berhak memilih (17 tahun pada hari pemungutan suara atau sudah kawin), ` +
      `${n(s.students.married)} sudah kawin, ${n(s.students.withoutNik)} tanpa NIK, ${n(s.students.withDataProblems)} dengan NIK bermasalah`,
    `  Kegiatan    : ${s.drive.name}, pemungutan suara ${formatDateId(s.drive.electionDate)}, ` +
      `perekaman ${formatDateId(s.drive.startDate)} s.d. ${formatDateId(s.drive.endDate)} (lahir paling lambat ${formatDateId(s.drive.voterCutoff)})`,
    `  Kunjungan   : ${n(s.visits.total)} (${visitParts.join(', ')})`,
    `  Hasil       : ${n(s.outcomes.total)} (${outcomeParts.join(', ')}); ${n(s.outcomes.printed)} KTP-el dicetak, ${n(s.outcomes.ikdActivated)} IKD diaktifkan`,
    `  Blangko     : diterima ${n(s.blankStock.received)}, terpakai ${n(s.blankStock.used)}, rusak ${n(s.blankStock.spoiled)}, sisa ${n(s.blankStock.balance)}`,
    `  Pengguna    : ${s.users.map((u) => `${u.username} / ${u.password} (${u.role}${u.team ? `, ${u.team}` : ''}${u.districtCodes.length ? `, kecamatan ${u.districtCodes.join(' dan ')}` : ''})`).join(', ')}`,
  ].join('\n');
}
