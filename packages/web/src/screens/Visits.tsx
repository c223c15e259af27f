// Kunjungan: the visit plan of a drive — which school, which day and hours, how many recording
// kits, which team. Warnings come from core's visitPlanWarnings over the WHOLE plan of the drive
// (not just the rows on screen): a day that needs more kits than the office owns, a team with
// more than 3 schools in a day. They show on the rows concerned and as a summary above the grid,
// and follow every change (the officer's own and others', through rowChanges).
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { formatMessage, validateVisit, visitPlanWarnings, type FieldIssue, type Locale, type PlannedVisit } from '@jemput/core';
import { DataGrid, type GridColumnDef, type GridRow } from '../grid/DataGrid.tsx';
import type { Choice } from '../grid/columns.ts';
import { locale, t } from '../i18n/locale.ts';
import { formatNumber } from '../i18n/dictionary.ts';
import { request } from '../api/client.ts';
import { subscribeLive } from '../api/live.ts';
import { newId } from '../util.ts';
import { entityApi, fetchOffice } from './entity-api.ts';
import { fetchSchools } from './students-api.ts';
import { labelChoices } from './Schools.tsx';
import { DrivePicker, useDrive } from './DrivePicker.tsx';
import { canPlan } from '../auth/session.ts';

const visits = entityApi({
  name: 'Visit',
  plural: 'Visits',
  list: 'visits',
  fields: 'id version driveId schoolId school { id name } date startTime endTime kits team status notes outcomeCount',
  filters: {
    schoolId: (value) => ['schoolId', value],
    date: true,
    startTime: true,
    endTime: true,
    kits: true,
    team: true,
    status: true,
    notes: true,
  },
});

const STATUS_LABELS: Record<string, Record<Locale, string>> = {
  PLANNED: { id: 'Direncanakan', en: 'Planned' },
  CONFIRMED: { id: 'Dikonfirmasi', en: 'Confirmed' },
  DONE: { id: 'Selesai', en: 'Done' },
  CANCELLED: { id: 'Dibatalkan', en: 'Cancelled' },
  RESCHEDULED: { id: 'Dijadwal ulang', en: 'Rescheduled' },
};

/** The whole plan of a drive, light rows only, for the warnings. */
async function fetchPlan(driveId: string): Promise<PlannedVisit[]> {
  const rows: PlannedVisit[] = [];
  for (let offset = 0; ; offset += 500) {
    const data = await request<{ visits: { totalCount: number; edges: { node: PlannedVisit }[] } }>(
      `query VisitPlan($d: ID!, $offset: Int) { visits(first: 500, offset: $offset, filter: { driveId: { equals: $d } }) { totalCount edges { node { id date kits team status schoolId } } } }`,
      { d: driveId, offset },
    );
    rows.push(...data.visits.edges.map((e) => e.node));
    if (rows.length >= data.visits.totalCount || data.visits.edges.length === 0) return rows;
  }
}

/** The API's rule for a visit row: core's checks, and the drive and school a new visit needs. */
function validateVisitRow(row: Record<string, unknown>, mode: 'create' | 'update'): FieldIssue[] {
  const issues = validateVisit(row, mode);
  for (const field of ['driveId', 'schoolId']) if ((mode === 'create' && row[field] == null) || row[field] === null) issues.push({ field, code: 'REQUIRED', severity: 'error' });
  return issues;
}

export default function Visits() {
  const { drives, drive, choose } = useDrive();
  const [total, setTotal] = createSignal<number | null>(null);
  const [schools] = createResource(() => fetchSchools().catch(() => []));
  const [office] = createResource(() => fetchOffice().catch(() => null));
  const driveId = () => drive()?.id ?? null;
  const [plan, { refetch: refetchPlan }] = createResource(driveId, (id) => fetchPlan(id).catch((): PlannedVisit[] => []));

  const report = createMemo(() => visitPlanWarnings(plan.state === 'ready' ? plan() : plan.latest ?? [], office()?.kits ?? Number.POSITIVE_INFINITY));

  // The plan follows every saved change to the drive's visits, gathered for a moment.
  createEffect(
    on(driveId, (id) => {
      if (!id) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = subscribeLive(
        `subscription PlanChanges($d: ID!) { rowChanges(entity: VISIT, driveId: $d) { id } }`,
        { d: id },
        () => {
          clearTimeout(timer);
          timer = setTimeout(() => void refetchPlan(), 200);
        },
        () => void refetchPlan(),
      );
      onCleanup(() => {
        clearTimeout(timer);
        stop();
      });
    }),
  );

  const schoolChoices = (): Choice[] => (schools.state === 'ready' ? schools().map((s) => ({ value: s.id, label: s.name, match: [s.npsn] })) : []);
  const warningText = (row: Record<string, unknown>) =>
    (report().byVisit.get(String(row.id)) ?? []).map((w) => formatMessage(w, locale())).join(' · ');

  const columns: GridColumnDef[] = [
    {
      field: 'schoolId',
      kind: 'choice',
      editable: true,
      header: () => t('col.school'),
      width: 230,
      sortKey: 'SCHOOL_NAME',
      filter: true,
      pinned: 'left',
      choices: schoolChoices,
      display: (row) => schoolChoices().find((c) => c.value === row.schoolId)?.label ?? (row.school as { name?: string } | null)?.name ?? '',
    },
    { field: 'date', kind: 'date', editable: true, header: () => t('col.date'), width: 125, sortKey: 'DATE', filter: true },
    { field: 'startTime', kind: 'time', editable: true, header: () => t('col.startTime'), width: 100, sortKey: 'START_TIME', filter: true },
    { field: 'endTime', kind: 'time', editable: true, header: () => t('col.endTime'), width: 100, sortKey: 'END_TIME', filter: true },
    { field: 'kits', kind: 'integer', editable: true, header: () => t('col.kits'), width: 110, sortKey: 'KITS', filter: true },
    { field: 'team', kind: 'text', editable: true, header: () => t('col.team'), width: 110, sortKey: 'TEAM', filter: true },
    { field: 'status', kind: 'choice', editable: true, header: () => t('col.visitStatus'), width: 135, sortKey: 'STATUS', filter: true, choices: () => labelChoices(STATUS_LABELS, locale()) },
    { field: 'warnings', kind: 'text', editable: false, header: () => t('col.warnings'), width: 320, display: warningText },
    { field: 'notes', kind: 'text', editable: true, header: () => t('col.notes'), width: 220, filter: true },
    {
      field: 'outcomeCount',
      kind: 'integer',
      editable: false,
      header: () => t('col.outcomeCount'),
      width: 90,
      display: (row) => (typeof row.outcomeCount === 'number' ? formatNumber(locale(), row.outcomeCount) : ''),
    },
  ];

  /** Changes only when a row's warnings change, so saving a note does not redraw the grid. */
  const warningsKey = createMemo(() => [...report().byVisit].map(([id, ws]) => `${id}:${ws.map((w) => w.code + JSON.stringify(w.params)).join(',')}`).sort().join('|'));

  const busiest = () => report().days.reduce((max, d) => Math.max(max, d.kits), 0);

  return (
    <section class="screen visits">
      <div class="screen-head">
        <h1>{t('visits.title')}</h1>
        <span class="count" data-testid="visits-count">
          {total() === null ? '' : t('visits.count', { count: total()! })}
        </span>
        <div class="spacer" />
        <DrivePicker drives={drives()} drive={drive()} onChoose={choose} />
      </div>
      <div class={`plan-summary ${report().summary.length ? 'has-warnings' : 'ok'}`} data-testid="plan-summary" aria-live="polite">
        <span class="plan-facts">
          {t('visits.facts', { kits: office()?.kits ?? 0, days: report().days.length, busiest: busiest() })}
        </span>
        <Show when={report().summary.length} fallback={<span class="plan-ok">{t('visits.noWarnings')}</span>}>
          <strong>{t('visits.warnings', { count: report().summary.length })}</strong>
          <ul data-testid="plan-warnings">
            <For each={report().summary.slice(0, 6)}>{(w) => <li>{formatMessage(w, locale())}</li>}</For>
            <Show when={report().summary.length > 6}>
              <li>{t('visits.moreWarnings', { count: report().summary.length - 6 })}</li>
            </Show>
          </ul>
        </Show>
      </div>
      <Show when={driveId()} keyed fallback={<p class="loading">{t('visits.noDrive')}</p>}>
        {(id) => (
          <DataGrid
            gridId="kunjungan"
            readOnly={!canPlan()}
            label={t('visits.title')}
            columns={columns}
            fetchPage={(params) => visits.fetchPage(params, { filter: { driveId: { equals: id } } })}
            fetchRows={visits.fetchRows}
            saveRows={visits.upsert}
            saveRow={visits.update}
            deleteRows={visits.remove}
            validate={validateVisitRow}
            newRow={() => ({ id: newId(), defaults: { driveId: id, status: 'PLANNED' } })}
            onTotal={setTotal}
            live={{ entity: 'VISIT', scope: () => ({ driveId: id }) }}
            rowClass={(row: GridRow) => (report().byVisit.has(row.id) ? 'jg-row-warning' : undefined)}
            redrawKey={warningsKey}
          />
        )}
      </Show>
    </section>
  );
}
