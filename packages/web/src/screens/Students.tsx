// Siswa: the student roster as a spreadsheet over the whole office (or one school), with
// server-side sort, filter and quick search, per-cell validation with the core rules, and
// paste/fill/undo from the grid toolkit.
import { createResource, createSignal, For, Show } from 'solid-js';
import { validateStudent } from '@jemput/core';
import { DataGrid, type GridColumnDef } from '../grid/DataGrid.tsx';
import { t } from '../i18n/locale.ts';
import { debounce, newId, todayInJakarta } from '../util.ts';
import { canEditStudents, me, revealNik } from '../auth/session.ts';
import { deleteStudents, fetchSchools, fetchStudents, fetchStudentsByIds, updateStudent, upsertStudents } from './students-api.ts';

const SCHOOL_KEY = 'jemput.students.school';

export default function Students() {
  const [search, setSearch] = createSignal('');
  const [schoolId, setSchoolId] = createSignal<string | null>(localStorage.getItem(SCHOOL_KEY) || null);
  const [total, setTotal] = createSignal<number | null>(null);
  // The school list never holds the screen back: without the API (offline) it is just empty.
  const [schools] = createResource(() => fetchSchools().catch(() => []));
  const schoolOptions = () => (schools.state === 'ready' ? schools() : []);
  const typeSearch = debounce((value: string) => setSearch(value), 300);

  const columns: GridColumnDef[] = [
    { field: 'name', kind: 'text', editable: true, header: () => t('col.name'), width: 230, sortKey: 'NAME', filter: true, pinned: 'left' },
    { field: 'nisn', kind: 'identifier', editable: true, header: () => t('col.nisn'), width: 120, sortKey: 'NISN', filter: true },
    // Roles that see NIKs masked (VIEWER) get them as `3573••••••••0012` and a logged "Lihat NIK" per row.
    { field: 'nik', kind: 'identifier', editable: true, header: () => t('col.nik'), width: 165, sortKey: 'NIK', filter: me()?.seesFullNik !== false },
    ...(me()?.seesFullNik === false
      ? [{ field: 'revealNik', kind: 'text', editable: false, header: () => '', width: 100, display: () => t('nik.reveal') } satisfies GridColumnDef]
      : []),
    { field: 'sex', kind: 'sex', editable: true, header: () => t('col.sex'), width: 70, sortKey: 'SEX', filter: true },
    { field: 'birthPlace', kind: 'text', editable: true, header: () => t('col.birthPlace'), width: 140, sortKey: 'BIRTH_PLACE', filter: true },
    { field: 'birthDate', kind: 'date', editable: true, header: () => t('col.birthDate'), width: 140, sortKey: 'BIRTH_DATE', filter: true },
    { field: 'className', kind: 'text', editable: true, header: () => t('col.className'), width: 120, sortKey: 'CLASS_NAME', filter: true },
    { field: 'married', kind: 'boolean', editable: true, header: () => t('col.married'), width: 100, filter: true },
    {
      field: 'school',
      kind: 'text',
      editable: false,
      header: () => t('col.school'),
      flex: 1,
      width: 220,
      sortKey: 'SCHOOL_NAME',
      // A saved row comes back without its school (a batch of 1,000 is faster so): the name is
      // the loaded one, or the school list's when the row moved to another school.
      display: (row) => {
        const school = row.school as { id?: string; name?: string } | null;
        if (school && school.id === row.schoolId) return school.name ?? '';
        return schoolOptions().find((s) => s.id === row.schoolId)?.name ?? school?.name ?? '';
      },
    },
  ];

  const [revealed, setRevealed] = createSignal<string | null>(null);
  const onCellClick = async (field: string, row: Record<string, unknown>) => {
    if (field !== 'revealNik') return;
    const nik = await revealNik(String(row.id));
    const name = String(row.name ?? '');
    setRevealed(nik ? t('nik.revealed', { name, nik }) : t('nik.none', { name }));
  };

  const chooseSchool = (value: string) => {
    setSchoolId(value || null);
    if (value) localStorage.setItem(SCHOOL_KEY, value);
    else localStorage.removeItem(SCHOOL_KEY);
  };

  return (
    <section class="screen students">
      <div class="screen-head">
        <h1>{t('students.title')}</h1>
        <span class="count" data-testid="students-count">
          {total() === null ? '' : t('students.count', { count: total()! })}
        </span>
        <div class="spacer" />
        <label class="field">
          <span class="sr-only">{t('students.school')}</span>
          <select value={schoolId() ?? ''} onChange={(e) => chooseSchool(e.currentTarget.value)} data-testid="school-select">
            <option value="">{t('students.allSchools')}</option>
            <For each={schoolOptions()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
          </select>
        </label>
        <input
          class="search"
          type="search"
          placeholder={t('students.search')}
          aria-label={t('students.search')}
          onInput={(e) => typeSearch(e.currentTarget.value)}
          data-testid="students-search"
        />
      </div>
      <Show when={revealed()}>
        <p class="nik-revealed" role="status" data-testid="nik-revealed">
          {revealed()}
        </p>
      </Show>
      <DataGrid
        gridId="siswa"
        label={t('students.title')}
        readOnly={!canEditStudents()}
        onCellClick={(field, row) => void onCellClick(field, row)}
        columns={columns}
        fetchPage={(params) => fetchStudents(params, { search: search(), schoolId: schoolId() })}
        saveRows={upsertStudents}
        saveRow={updateStudent}
        deleteRows={deleteStudents}
        validate={(row, mode) => validateStudent(row, mode, { today: todayInJakarta() })}
        newRow={(last) => ({ id: newId(), defaults: { schoolId: schoolId() ?? (last?.data.schoolId as string | undefined) ?? null, married: false } })}
        refreshKey={() => [search(), schoolId()]}
        onTotal={setTotal}
        fetchRows={fetchStudentsByIds}
        live={{ entity: 'STUDENT', scope: () => ({ schoolId: schoolId() }) }}
      />
    </section>
  );
}
