// Hasil: the recording sheet of one visit — one row per eligible student of the visited school,
// outcomes entered with single keys (legend on screen), printed/IKD with Space, Enter moves down.
// Works offline once opened online: the sheet is cached in IndexedDB, changes go to the outbox
// (field.ts) and are synced in order when the network returns; conflicts and refusals are shown
// with both values for the officer to settle.
import { createEffect, createMemo, createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { ClientSideRowModelModule, createGrid, ModuleRegistry, type CellKeyDownEvent, type ColDef, type GridApi } from 'ag-grid-community';
import { formatDateId, outcomeStatusLabel, type OutcomeStatus } from '@jemput/core';
import { gridLocaleText, jemputTheme, registerGridModules } from '../../grid/ag.ts';
import { locale, t } from '../../i18n/locale.ts';
import { todayInJakarta } from '../../util.ts';
import { fetchDrives, fetchOutcomesById, fetchSheet, fetchVisits, OUTCOME_CHANGES } from './api.ts';
import { subscribeLive } from '../../api/live.ts';
import { FieldBanner } from './FieldBanner.tsx';
import { dismissRefusal, fieldState, onServerOutcome, recordChange, refreshField, settleConflict, startFieldSync } from './field.ts';
import { cachedSheets, loadSheet, saveSheet } from './idb-store.ts';
import type { Conflict, OutcomeSet, ServerOutcome } from './queue.ts';
import { blanksLeft, checkChange, OUTCOME_KEYS, sheetRows, withServerOutcome, type Sheet, type SheetRow } from './sheet.ts';

const DRIVE_KEY = 'jemput.hasil.drive';

function visitIdOfPath(): string | null {
  const [first, second] = location.pathname.split('/').filter(Boolean);
  return first === 'hasil' && second ? decodeURIComponent(second) : null;
}

export default function Hasil() {
  startFieldSync();
  const [visitId, setVisitId] = createSignal<string | null>(visitIdOfPath());
  const onPop = () => setVisitId(visitIdOfPath());
  window.addEventListener('popstate', onPop);
  onCleanup(() => window.removeEventListener('popstate', onPop));

  const openVisit = (id: string) => {
    if (!id) return;
    history.pushState(null, '', `/hasil/${encodeURIComponent(id)}`);
    setVisitId(id);
  };

  return (
    <section class="screen hasil">
      <Show when={visitId()} keyed fallback={<VisitPicker onOpen={openVisit} />}>
        {(id) => <RecordingSheet visitId={id} onPick={openVisit} />}
      </Show>
    </section>
  );
}

function VisitPicker(props: { onOpen(visitId: string): void }) {
  const [driveId, setDriveId] = createSignal<string>(localStorage.getItem(DRIVE_KEY) ?? '');
  const [drives] = createResource(() => fetchDrives().catch(() => []));
  const [visits] = createResource(driveId, (id) => (id ? fetchVisits(id).catch(() => []) : []));
  const [cached] = createResource(() => cachedSheets().catch(() => []));
  createEffect(() => {
    const list = drives();
    if (list?.length && !list.some((d) => d.id === driveId())) setDriveId(list[0]!.id);
  });
  return (
    <>
      <div class="screen-head">
        <h1>{t('hasil.title')}</h1>
        <FieldBanner />
      </div>
      <div class="screen-head">
        <label class="field">
          <span>{t('hasil.drive')} </span>
          <select value={driveId()} data-testid="hasil-drive" onChange={(e) => (setDriveId(e.currentTarget.value), localStorage.setItem(DRIVE_KEY, e.currentTarget.value))}>
            <For each={drives() ?? []}>{(d) => <option value={d.id}>{d.name}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span>{t('hasil.visit')} </span>
          <select data-testid="hasil-visit" onChange={(e) => props.onOpen(e.currentTarget.value)}>
            <option value="">{t('hasil.pickVisit')}</option>
            <For each={visits() ?? []}>{(v) => <option value={v.id}>{`${formatDateId(v.date)} · ${v.school.name}${v.team ? ` · ${v.team}` : ''}`}</option>}</For>
          </select>
        </label>
      </div>
      <p class="hint">{t('hasil.pickPrompt')}</p>
      <Show when={(cached() ?? []).length > 0}>
        <h2 class="subhead">{t('hasil.cached')}</h2>
        <ul class="cached-sheets">
          <For each={cached()}>
            {(s) => (
              <li>
                <a href={`/hasil/${s.visit.id}`} onClick={(e) => (e.preventDefault(), props.onOpen(s.visit.id))}>
                  {`${formatDateId(s.visit.date)} · ${s.visit.school.name}`}
                </a>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}

type Notice = { rowId: string | null; text: string };

function RecordingSheet(props: { visitId: string; onPick(visitId: string): void }) {
  ModuleRegistry.registerModules([ClientSideRowModelModule]);
  registerGridModules();
  const [sheet, setSheet] = createSignal<Sheet | null>(null);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal<Notice | null>(null);
  const refusedHere = new Map<string, { col: string; message: string }>();
  let container!: HTMLDivElement;
  let api: GridApi<SheetRow> | undefined;

  // Cached copy first (opens offline), then the server's when reachable.
  onMount(async () => {
    await refreshField();
    const cached = await loadSheet(props.visitId).catch(() => undefined);
    if (cached) setSheet(cached);
    try {
      const fresh = await fetchSheet(props.visitId);
      if (!fresh) return void (cached ? undefined : setLoadError(t('hasil.notFound')));
      setSheet(fresh);
      await saveSheet(fresh);
    } catch {
      if (!cached) setLoadError(t('hasil.notCached'));
    }
  });

  // Each server answer replaces what the sheet knows of that student.
  const stop = onServerOutcome((write, answer) => {
    const current = sheet();
    if (!current || write.driveId !== current.visit.drive.id) return;
    if (!current.students.some((s) => s.id === write.studentId)) return;
    let next = withServerOutcome(current, write.studentId, answer.outcome as ServerOutcome | null);
    if (answer.status === 'APPLIED' && write.set.printed === true && next.blankBalance !== null) next = { ...next, blankBalance: next.blankBalance - 1 };
    setSheet(next);
    void saveSheet(next);
  });
  onCleanup(stop);

  // Colleagues' recordings at the same school arrive live (rowChanges): re-read those outcomes.
  let stopLive: (() => void) | undefined;
  const applyLive = async (ids: string[]) => {
    const outcomes = await fetchOutcomesById(ids).catch(() => []);
    let next = sheet();
    if (!next) return;
    for (const o of outcomes) if (o.driveId === next.visit.drive.id && next.students.some((s) => s.id === o.studentId)) next = withServerOutcome(next, o.studentId, o);
    setSheet(next);
    void saveSheet(next);
  };
  createEffect(() => {
    const s = sheet();
    if (!s || stopLive) return;
    stopLive = subscribeLive<{ rowChanges: { id: string }[] }>(
      OUTCOME_CHANGES,
      { driveId: s.visit.drive.id },
      (data) => void applyLive(data.rowChanges.map((c) => c.id)),
      // After a broken stream, the whole sheet again: changes may have been missed.
      () => void fetchSheet(props.visitId).then((fresh) => fresh && (setSheet(fresh), saveSheet(fresh))).catch(() => undefined),
    );
  });
  onCleanup(() => stopLive?.());

  // Unchanged rows keep their object, so the grid redraws only the rows that changed.
  let previous = new Map<string, SheetRow>();
  const rows = createMemo(() => {
    const s = sheet();
    const next = s ? sheetRows(s, fieldState.pending(), fieldState.conflicts(), fieldState.refusals()) : [];
    const stable = next.map((row) => {
      const old = previous.get(row.id);
      return old && sameRow(old, row) ? old : row;
    });
    previous = new Map(stable.map((row) => [row.id, row]));
    return stable;
  });
  const left = () => {
    const s = sheet();
    return s ? blanksLeft(s, fieldState.pending()) : null;
  };

  const change = (row: SheetRow, set: OutcomeSet) => {
    const s = sheet();
    if (!s) return;
    const verdict = checkChange(row, set, { electionDate: s.visit.drive.electionDate, today: todayInJakarta(), blanksLeft: left(), locale: locale() });
    if (!verdict.ok) {
      refusedHere.set(row.id, { col: set.status ? 'status' : set.ikdActivated !== undefined ? 'ikd' : set.printed !== undefined ? 'printed' : 'notes', message: verdict.message });
      setNotice({ rowId: row.id, text: `${row.name}: ${verdict.message}` });
      api?.refreshCells({ rowNodes: [api.getRowNode(row.id)!].filter(Boolean), force: true });
      return;
    }
    refusedHere.delete(row.id);
    setNotice(null);
    void recordChange({ driveId: s.visit.drive.id, studentId: row.id, visitId: s.visit.id, baseVersion: row.baseVersion, set });
  };

  const moveDown = (rowIndex: number, colId: string) => {
    if (!api) return;
    const next = Math.min(rowIndex + 1, api.getDisplayedRowCount() - 1);
    api.ensureIndexVisible(next);
    api.setFocusedCell(next, colId);
  };

  const onKey = (e: CellKeyDownEvent<SheetRow>) => {
    const event = e.event as KeyboardEvent | undefined;
    // The grid's focused cell, not the event's: browser focus can trail a fast typist by a key.
    const focused = api?.getFocusedCell();
    if (!event || !focused || event.ctrlKey || event.metaKey || event.altKey) return;
    const row = api?.getDisplayedRowAtIndex(focused.rowIndex)?.data;
    if (!row) return;
    const colId = focused.column.getColId();
    const rowIndex = focused.rowIndex;
    if (colId === 'notes') return; // typing goes to the notes editor
    const key = event.key.toLowerCase();
    const status = OUTCOME_KEYS[key];
    if (status) {
      event.preventDefault();
      if (row.status !== status) change(row, { status });
      moveDown(rowIndex, colId);
    } else if (key === ' ' || key === 'p' || key === 'i') {
      event.preventDefault();
      const ikd = key === 'i' || (key === ' ' && colId === 'ikd');
      change(row, ikd ? { ikdActivated: !row.ikd } : { printed: !row.printed });
    }
    // Enter moves down by the grid's own enterNavigatesVertically.
  };

  /** Why the officer's last change of this cell was refused here (shown on the cell until the next change). */
  const cellState = (row: SheetRow | undefined, col: string) => {
    const refusal = row ? refusedHere.get(row.id) : undefined;
    return refusal?.col === col ? refusal.message : null;
  };
  const stateClass = (row: SheetRow | undefined, col: string) => (cellState(row, col) ? ' jg-error' : '');

  const columns = (): ColDef<SheetRow>[] => [
    { colId: 'no', field: 'no', headerName: t('hasil.col.no'), width: 62, pinned: 'left', cellClass: 'jg-readonly' },
    { colId: 'name', field: 'name', headerName: t('col.name'), width: 230, pinned: 'left' },
    { colId: 'className', field: 'className', headerName: t('col.className'), width: 120 },
    { colId: 'nik', field: 'nikMasked', headerName: t('col.nik'), width: 165, cellClass: 'jg-readonly mono' },
    {
      colId: 'status',
      headerName: t('hasil.col.status'),
      width: 220,
      valueGetter: (p) => (p.data?.status ? outcomeStatusLabel(p.data.status, locale()) : ''),
      cellClass: (p) => `outcome-cell status-${(p.data?.status ?? 'NONE').toLowerCase()}${stateClass(p.data, 'status')}`,
      tooltipValueGetter: (p) => cellState(p.data, 'status') ?? undefined,
    },
    {
      colId: 'printed',
      headerName: t('hasil.col.printed'),
      width: 90,
      valueGetter: (p) => (p.data?.printed ? '✓' : ''),
      cellClass: (p) => `check-cell${stateClass(p.data, 'printed')}`,
      tooltipValueGetter: (p) => cellState(p.data, 'printed') ?? undefined,
    },
    {
      colId: 'ikd',
      headerName: t('hasil.col.ikd'),
      width: 80,
      valueGetter: (p) => (p.data?.ikd ? '✓' : ''),
      cellClass: (p) => `check-cell${stateClass(p.data, 'ikd')}`,
      tooltipValueGetter: (p) => cellState(p.data, 'ikd') ?? undefined,
    },
    {
      colId: 'notes',
      field: 'notes',
      headerName: t('hasil.col.notes'),
      flex: 1,
      minWidth: 180,
      editable: true,
      valueSetter: (p) => {
        const text = String(p.newValue ?? '').trim();
        if (p.data && text !== p.data.notes) change(p.data, { notes: text });
        return false; // the row follows the outbox, not the editor
      },
    },
    {
      colId: 'sync',
      headerName: t('hasil.col.sync'),
      width: 110,
      valueGetter: (p) => (p.data && p.data.sync !== 'synced' ? t(`hasil.sync.${p.data.sync}`) : ''),
      cellClass: (p) => `sync-cell sync-${p.data?.sync ?? 'synced'}`,
      tooltipValueGetter: (p) => p.data?.message ?? undefined,
    },
  ];

  createEffect(() => {
    const s = sheet();
    if (!s || api) return;
    api = createGrid<SheetRow>(container, {
      theme: jemputTheme,
      columnDefs: columns(),
      rowData: rows(),
      getRowId: (p) => p.data.id,
      defaultColDef: { sortable: false, resizable: true, suppressMovable: true },
      localeText: gridLocaleText(locale()),
      enterNavigatesVertically: true,
      enterNavigatesVerticallyAfterEdit: true,
      stopEditingWhenCellsLoseFocus: true,
      singleClickEdit: false,
      tooltipShowDelay: 200,
      onCellKeyDown: onKey,
      rowClassRules: { 'row-pending': (p) => p.data?.sync === 'pending', 'row-conflict': (p) => p.data?.sync === 'conflict' },
    });
  });
  // Rows follow the outbox and the server's answers; the grid diffs by student id and keeps focus.
  createEffect(() => {
    const data = rows();
    api?.setGridOption('rowData', data);
  });
  createEffect(() => {
    locale();
    api?.setGridOption('columnDefs', columns());
  });
  onCleanup(() => api?.destroy());

  const recorded = () => rows().filter((r) => r.status === 'RECORDED' || r.status === 'ALREADY_RECORDED').length;
  const conflictsHere = () => {
    const s = sheet();
    return s ? fieldState.conflicts().filter((c) => c.driveId === s.visit.drive.id && s.students.some((st) => st.id === c.studentId)) : [];
  };
  const refusalsHere = () => {
    const s = sheet();
    return s ? fieldState.refusals().filter((r) => r.driveId === s.visit.drive.id && s.students.some((st) => st.id === r.studentId)) : [];
  };
  const nameOf = (studentId: string) => sheet()?.students.find((s) => s.id === studentId)?.name ?? studentId;

  return (
    <>
      <div class="screen-head">
        <h1>{t('hasil.title')}</h1>
        <Show when={sheet()}>
          {(s) => (
            <span class="count" data-testid="hasil-head">
              {`${formatDateId(s().visit.date)} · ${s().visit.school.name}${s().visit.team ? ` · ${s().visit.team}` : ''} · `}
              {t('hasil.students', { count: s().students.length })} · {t('hasil.recorded', { count: recorded() })} ·{' '}
              <span data-testid="hasil-blanks" classList={{ 'tone-error': (left() ?? 1) <= 0 }}>
                {left() === null ? t('hasil.blanksUnknown') : t('hasil.blanks', { count: left()! })}
              </span>
            </span>
          )}
        </Show>
        <div class="spacer" />
        <FieldBanner />
        <a class="link-button" href="/hasil" onClick={(e) => (e.preventDefault(), history.pushState(null, '', '/hasil'), dispatchEvent(new PopStateEvent('popstate')))}>
          {t('hasil.pickVisit')}
        </a>
      </div>
      <div class="hasil-legend" aria-label={t('hasil.legend')} data-testid="hasil-legend">
        <strong>{t('hasil.legend')}:</strong>
        <For each={Object.entries(OUTCOME_KEYS)}>
          {([key, status]) => (
            <span class={`legend-key status-${status.toLowerCase()}`}>
              <kbd>{key.toUpperCase()}</kbd> {outcomeStatusLabel(status as OutcomeStatus, locale())}
            </span>
          )}
        </For>
        <span class="legend-key"><kbd>␣</kbd> {t('hasil.key.space')}</span>
        <span class="legend-key">{t('hasil.key.print')}</span>
        <span class="legend-key">{t('hasil.key.ikd')}</span>
        <span class="legend-key">{t('hasil.key.enter')}</span>
      </div>
      <Show when={notice()}>
        {(n) => (
          <p class="hasil-notice tone-error" role="alert" data-testid="hasil-message">
            {n().text}
          </p>
        )}
      </Show>
      <For each={conflictsHere()}>{(c) => <ConflictCard conflict={c} name={nameOf(c.studentId)} />}</For>
      <For each={refusalsHere()}>
        {(r) => (
          <div class="field-card refused" data-testid="refusal">
            <strong>{t('field.refusedTitle', { name: nameOf(r.studentId) })}</strong> {describeSet(r.set)} — {r.problems.map((p) => p.message).join('; ')}
            <button type="button" onClick={() => void dismissRefusal(r.clientMutationId)}>
              {t('field.dismiss')}
            </button>
          </div>
        )}
      </For>
      <Show when={loadError()}>
        <p class="screen-error" data-testid="hasil-error">{loadError()}</p>
      </Show>
      <div class="hasil-grid" ref={container} role="grid" aria-label={t('hasil.title')} data-testid="hasil-grid" />
    </>
  );
}

function sameRow(a: SheetRow, b: SheetRow): boolean {
  return a.student === b.student && a.no === b.no && a.status === b.status && a.printed === b.printed && a.ikd === b.ikd && a.notes === b.notes && a.baseVersion === b.baseVersion && a.sync === b.sync && a.message === b.message;
}

function describeSet(set: OutcomeSet): string {
  const parts: string[] = [];
  if (set.status) parts.push(outcomeStatusLabel(set.status, locale()));
  if (set.printed !== undefined) parts.push(`${set.printed ? '' : '−'}${t('field.printed')}`);
  if (set.ikdActivated !== undefined) parts.push(`${set.ikdActivated ? '' : '−'}${t('field.ikd')}`);
  if (set.notes !== undefined) parts.push(`“${set.notes}”`);
  return parts.join(', ');
}

function describeOutcome(o: ServerOutcome | null): string {
  if (!o) return t('field.none');
  const parts = [outcomeStatusLabel(o.status, locale())];
  if (o.printedAt) parts.push(t('field.printed'));
  if (o.ikdActivatedAt) parts.push(t('field.ikd'));
  if (o.notes) parts.push(`“${o.notes}”`);
  return parts.join(', ');
}

function ConflictCard(props: { conflict: Conflict; name: string }) {
  return (
    <div class="field-card conflict" data-testid="conflict">
      <strong>{t('field.conflictTitle', { name: props.name })}</strong>
      <span class="conflict-message">{props.conflict.message}</span>
      <span>
        {t('field.mine')}: <b data-testid="conflict-mine">{describeSet(props.conflict.mine)}</b>
      </span>
      <span>
        {t('field.theirs')}: <b data-testid="conflict-theirs">{describeOutcome(props.conflict.theirs)}</b>
      </span>
      <button type="button" data-testid="keep-mine" onClick={() => void settleConflict(props.conflict, 'mine')}>
        {t('field.keepMine')}
      </button>
      <button type="button" data-testid="keep-theirs" onClick={() => void settleConflict(props.conflict, 'theirs')}>
        {t('field.keepTheirs')}
      </button>
    </div>
  );
}

