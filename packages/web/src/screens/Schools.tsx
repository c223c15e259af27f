// Sekolah: the schools (and other sites) of the office as a spreadsheet — NPSN, name, level,
// status, district and village (chosen from the office's regions by name or code), address,
// contact — with the number of students each has.
import { createResource, createSignal } from 'solid-js';
import { validateSchool, type Locale } from '@jemput/core';
import { DataGrid, type GridColumnDef } from '../grid/DataGrid.tsx';
import type { Choice } from '../grid/columns.ts';
import { locale, t } from '../i18n/locale.ts';
import { formatNumber } from '../i18n/dictionary.ts';
import { debounce, newId } from '../util.ts';
import { entityApi, fetchRegions } from './entity-api.ts';
import { canPlan } from '../auth/session.ts';

const schools = entityApi({
  name: 'School',
  plural: 'Schools',
  list: 'schools',
  fields: 'id version npsn name level status districtCode villageCode address contactName contactPhone studentCount',
  filters: { npsn: true, name: true, level: true, status: true, districtCode: true, villageCode: true, address: true, contactName: true, contactPhone: true },
  search: true,
});

const LEVEL_LABELS: Record<string, Record<Locale, string>> = {
  SMA: { id: 'SMA', en: 'SMA' },
  SMK: { id: 'SMK', en: 'SMK' },
  MA: { id: 'MA', en: 'MA' },
  SLB: { id: 'SLB', en: 'SLB' },
  OTHER: { id: 'Lainnya', en: 'Other' },
};
const STATUS_LABELS: Record<string, Record<Locale, string>> = { NEGERI: { id: 'Negeri', en: 'Public' }, SWASTA: { id: 'Swasta', en: 'Private' } };

/** Choices from a label table; both languages' words are accepted whatever the screen shows. */
export function labelChoices(labels: Record<string, Record<Locale, string>>, current: Locale): Choice[] {
  return Object.entries(labels).map(([value, names]) => ({ value, label: names[current], match: [names.id, names.en] }));
}

export default function Schools() {
  const [search, setSearch] = createSignal('');
  const [total, setTotal] = createSignal<number | null>(null);
  const [regions] = createResource(() => fetchRegions().catch(() => ({ districts: [], villages: [] })));
  const districtChoices = (): Choice[] => (regions.state === 'ready' ? regions().districts.map((r) => ({ value: r.code, label: r.name, match: [r.code.replace(/\./g, '')] })) : []);
  const villageChoices = (): Choice[] => (regions.state === 'ready' ? regions().villages.map((r) => ({ value: r.code, label: r.name, match: [r.code.replace(/\./g, '')] })) : []);
  const typeSearch = debounce((value: string) => setSearch(value), 300);

  const columns: GridColumnDef[] = [
    { field: 'npsn', kind: 'identifier', editable: true, header: () => t('col.npsn'), width: 110, sortKey: 'NPSN', filter: true, pinned: 'left' },
    { field: 'name', kind: 'text', editable: true, header: () => t('col.name'), width: 250, sortKey: 'NAME', filter: true, pinned: 'left' },
    { field: 'level', kind: 'choice', editable: true, header: () => t('col.level'), width: 95, sortKey: 'LEVEL', filter: true, choices: () => labelChoices(LEVEL_LABELS, locale()) },
    { field: 'status', kind: 'choice', editable: true, header: () => t('col.schoolStatus'), width: 100, sortKey: 'STATUS', filter: true, choices: () => labelChoices(STATUS_LABELS, locale()) },
    { field: 'districtCode', kind: 'choice', editable: true, header: () => t('col.district'), width: 140, sortKey: 'DISTRICT', filter: true, choices: districtChoices },
    { field: 'villageCode', kind: 'choice', editable: true, header: () => t('col.village'), width: 150, sortKey: 'VILLAGE', filter: true, choices: villageChoices },
    { field: 'address', kind: 'text', editable: true, header: () => t('col.address'), width: 240, sortKey: 'ADDRESS', filter: true },
    { field: 'contactName', kind: 'text', editable: true, header: () => t('col.contactName'), width: 180, sortKey: 'CONTACT_NAME', filter: true },
    { field: 'contactPhone', kind: 'text', editable: true, header: () => t('col.contactPhone'), width: 140, filter: true },
    {
      field: 'studentCount',
      kind: 'integer',
      editable: false,
      header: () => t('col.studentCount'),
      width: 100,
      flex: 1,
      display: (row) => (typeof row.studentCount === 'number' ? formatNumber(locale(), row.studentCount) : ''),
    },
  ];

  return (
    <section class="screen schools">
      <div class="screen-head">
        <h1>{t('schools.title')}</h1>
        <span class="count" data-testid="schools-count">
          {total() === null ? '' : t('schools.count', { count: total()! })}
        </span>
        <div class="spacer" />
        <input class="search" type="search" placeholder={t('schools.search')} aria-label={t('schools.search')} onInput={(e) => typeSearch(e.currentTarget.value)} data-testid="schools-search" />
      </div>
      <DataGrid
        gridId="sekolah"
        readOnly={!canPlan()}
        label={t('schools.title')}
        columns={columns}
        fetchPage={(params) => schools.fetchPage(params, { search: search() })}
        fetchRows={schools.fetchRows}
        saveRows={schools.upsert}
        saveRow={schools.update}
        deleteRows={schools.remove}
        validate={(row, mode) => validateSchool(row, mode)}
        newRow={() => ({ id: newId(), defaults: {} })}
        refreshKey={() => [search()]}
        onTotal={setTotal}
        live={{ entity: 'SCHOOL' }}
      />
    </section>
  );
}
