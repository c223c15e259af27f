// Drive: the recording campaigns, one per election, each with its own election date (which
// decides who is a first-time voter) and its start and end.
import { createSignal } from 'solid-js';
import { validateDrive } from '@jemput/core';
import { DataGrid, type GridColumnDef } from '../grid/DataGrid.tsx';
import { locale, t } from '../i18n/locale.ts';
import { formatNumber } from '../i18n/dictionary.ts';
import { newId } from '../util.ts';
import { entityApi } from './entity-api.ts';
import { canPlan } from '../auth/session.ts';

const drives = entityApi({
  name: 'Drive',
  plural: 'Drives',
  list: 'drives',
  fields: 'id version name electionDate startDate endDate notes visitCount',
  filters: { name: true, electionDate: true, startDate: true, endDate: true, notes: true },
});

export default function Drives() {
  const [total, setTotal] = createSignal<number | null>(null);
  const columns: GridColumnDef[] = [
    { field: 'name', kind: 'text', editable: true, header: () => t('col.driveName'), width: 280, sortKey: 'NAME', filter: true, pinned: 'left' },
    { field: 'electionDate', kind: 'date', editable: true, header: () => t('col.electionDate'), width: 160, sortKey: 'ELECTION_DATE', filter: true },
    { field: 'startDate', kind: 'date', editable: true, header: () => t('col.startDate'), width: 140, sortKey: 'START_DATE', filter: true },
    { field: 'endDate', kind: 'date', editable: true, header: () => t('col.endDate'), width: 140, sortKey: 'END_DATE', filter: true },
    { field: 'notes', kind: 'text', editable: true, header: () => t('col.notes'), width: 320, flex: 1, filter: true },
    {
      field: 'visitCount',
      kind: 'integer',
      editable: false,
      header: () => t('col.visitCount'),
      width: 110,
      display: (row) => (typeof row.visitCount === 'number' ? formatNumber(locale(), row.visitCount) : ''),
    },
  ];
  return (
    <section class="screen drives">
      <div class="screen-head">
        <h1>{t('drives.title')}</h1>
        <span class="count" data-testid="drives-count">
          {total() === null ? '' : t('drives.count', { count: total()! })}
        </span>
        <div class="spacer" />
        <p class="screen-note">{t('drives.note')}</p>
      </div>
      <DataGrid
        gridId="drive"
        readOnly={!canPlan()}
        label={t('drives.title')}
        columns={columns}
        fetchPage={(params) => drives.fetchPage(params)}
        fetchRows={drives.fetchRows}
        saveRows={drives.upsert}
        saveRow={drives.update}
        deleteRows={drives.remove}
        validate={(row, mode) => validateDrive(row, mode)}
        newRow={() => ({ id: newId(), defaults: {} })}
        onTotal={setTotal}
        live={{ entity: 'DRIVE' }}
      />
    </section>
  );
}
