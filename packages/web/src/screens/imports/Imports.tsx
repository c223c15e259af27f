// Impor: bring in a school's Dapodik/EMIS list (or a school list), check what was read — the
// columns matched to fields (correctable), the first rows, the problems per row — then import
// with a progress bar pushed by the server. Below: the history of imports, and the reports an
// office sends upward (tally XLSX/CSV, visit sheets).
import { createEffect, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { formatDateId } from '@jemput/core';
import { locale, t } from '../../i18n/locale.ts';
import { formatNumber } from '../../i18n/dictionary.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { fetchSchools } from '../students-api.ts';
import {
  cancelImport,
  commitImport,
  fetchDrives,
  fetchHistory,
  fetchJob,
  fetchVisits,
  followProgress,
  setMapping,
  uploadImport,
  type ImportJob,
  type ImportKind,
  type JobDetail,
} from './imports-api.ts';
import './imports.css';

const PHASE_KEYS: Record<ImportJob['phase'], MessageKey> = {
  VALIDATING: 'import.phase.VALIDATING',
  NEEDS_MAPPING: 'import.phase.NEEDS_MAPPING',
  READY: 'import.phase.READY',
  WRITING: 'import.phase.WRITING',
  DONE: 'import.phase.DONE',
  FAILED: 'import.phase.FAILED',
  INTERRUPTED: 'import.phase.INTERRUPTED',
  CANCELLED: 'import.phase.CANCELLED',
};

const n = (value: number) => formatNumber(locale(), value);
// The office's clock (Asia/Jakarta), whatever the computer's time zone: dd/mm/yyyy HH:MM.
const JAKARTA = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
const when = (iso: string) => JAKARTA.format(new Date(iso)).replace(',', '');

export default function Imports() {
  const [kind, setKind] = createSignal<ImportKind>('STUDENTS');
  const [schoolId, setSchoolId] = createSignal<string | null>(null);
  const [file, setFile] = createSignal<File | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [jobId, setJobId] = createSignal<string | null>(null);
  const [live, setLive] = createSignal<ImportJob | null>(null);
  const [detail, { refetch: refetchDetail, mutate: setDetail }] = createResource(jobId, (id) => fetchJob(id));
  const [history, { refetch: refetchHistory }] = createResource(() => fetchHistory().catch(() => []));
  const [schools] = createResource(() => fetchSchools().catch(() => []));
  const [draft, setDraft] = createSignal<Record<number, string>>({});

  // The job as the server pushes it; the detail (columns, rows, problems) is re-read when a phase ends.
  createEffect(
    on(jobId, (id) => {
      setLive(null);
      if (!id) return;
      let lastPhase: string | null = null;
      const stop = followProgress(id, (job) => {
        setLive(job);
        if (job.phase !== lastPhase) {
          lastPhase = job.phase;
          if (job.phase !== 'VALIDATING' && job.phase !== 'WRITING') {
            void refetchDetail();
            void refetchHistory();
          }
        }
      });
      onCleanup(stop);
    }),
  );
  createEffect(
    on(detail, (d) => {
      if (!d) return;
      setDraft(Object.fromEntries(d.columns.filter((c) => c.field).map((c) => [c.index, c.field as string])));
    }),
  );

  const job = (): (ImportJob & Partial<JobDetail>) | null => {
    const d = detail();
    const l = live();
    if (!d && !l) return null;
    return { ...(d ?? {}), ...(l ?? {}) } as ImportJob & Partial<JobDetail>;
  };

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message.replace(/^\[GraphQL\] /, ''));
    } finally {
      setBusy(false);
    }
  }

  const upload = () =>
    run(async () => {
      const chosen = file();
      if (!chosen) return;
      const created = await uploadImport(chosen, kind(), kind() === 'STUDENTS' ? schoolId() : null);
      setDetail(undefined);
      setJobId(created.id);
      void refetchHistory();
    });

  const chooseField = (column: number, field: string) => {
    const next = { ...draft() };
    for (const [c, f] of Object.entries(next)) if (f === field) delete next[Number(c)];
    if (field) next[column] = field;
    else delete next[column];
    setDraft(next);
  };

  const mappingChanged = () => {
    const d = detail();
    if (!d) return false;
    const current = Object.fromEntries(d.columns.filter((c) => c.field).map((c) => [c.index, c.field]));
    return JSON.stringify(current) !== JSON.stringify(draft());
  };

  const applyMapping = () =>
    run(async () => {
      const id = jobId();
      if (!id) return;
      const mapping = Object.entries(draft()).map(([column, field]) => ({ field, column: Number(column) }));
      await setMapping(id, mapping, kind() === 'STUDENTS' ? (job()?.schoolId ?? schoolId()) : null);
      setLive(null);
      // Re-subscribe: the job validates again.
      const again = id;
      setJobId(null);
      setJobId(again);
    });

  const commit = () =>
    run(async () => {
      const id = jobId();
      if (!id) return;
      const started = await commitImport(id);
      setLive(started);
      setJobId(null);
      setJobId(id);
    });

  const cancel = () =>
    run(async () => {
      const id = jobId();
      if (!id) return;
      setLive(await cancelImport(id));
      void refetchDetail();
      void refetchHistory();
    });

  const progressText = () => {
    const j = job();
    if (!j) return '';
    if (j.phase === 'VALIDATING') return t('import.progress.validating', { rows: j.parsedRows });
    if (j.phase === 'WRITING') return t('import.progress.writing', { done: j.committedRows, total: j.totalRows });
    return '';
  };

  // ---------------------------------------------------------------- reports
  const [drives] = createResource(() => fetchDrives().catch(() => []));
  const [driveId, setDriveId] = createSignal<string>('');
  const [visits] = createResource(driveId, (id) => (id ? fetchVisits(id).catch(() => []) : Promise.resolve([])));
  const [visitId, setVisitId] = createSignal<string>('');
  createEffect(() => {
    const list = drives();
    if (list?.length && !driveId()) setDriveId(list[0]!.id);
  });

  return (
    <section class="screen imports" data-testid="imports-screen">
      <div class="screen-head">
        <h1>{t('import.title')}</h1>
      </div>
      <div class="imports-body">
        <form class="panel upload" onSubmit={(e) => (e.preventDefault(), void upload())}>
          <h2>{t('import.upload.title')}</h2>
          <label class="field">
            <span>{t('import.kind')}</span>
            <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as ImportKind)} data-testid="import-kind">
              <option value="STUDENTS">{t('import.kind.STUDENTS')}</option>
              <option value="SCHOOLS">{t('import.kind.SCHOOLS')}</option>
            </select>
          </label>
          <Show when={kind() === 'STUDENTS'}>
            <label class="field">
              <span>{t('import.school')}</span>
              <select value={schoolId() ?? ''} onChange={(e) => setSchoolId(e.currentTarget.value || null)} data-testid="import-school">
                <option value="">{t('import.school.fromFile')}</option>
                <For each={schools() ?? []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
              </select>
            </label>
          </Show>
          <label class="field">
            <span>{t('import.file')}</span>
            <input type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} data-testid="import-file" />
          </label>
          <button type="submit" class="primary" disabled={!file() || busy()} data-testid="import-upload">
            {t('import.upload')}
          </button>
          <p class="hint">{t('import.upload.hint')}</p>
        </form>

        <Show when={error()}>
          <p class="import-error" role="alert" data-testid="import-error">{error()}</p>
        </Show>

        <Show when={job()}>
          {(j) => (
            <div class="panel job" data-testid="import-job">
              <div class="job-head">
                <h2>{j().fileName}</h2>
                <span class={`phase phase-${j().phase}`} data-testid="import-phase" data-phase={j().phase}>
                  {t(PHASE_KEYS[j().phase])}
                </span>
                <span class="hash" title="SHA-256">{j().fileHash.slice(0, 12)}…</span>
              </div>
              <Show when={j().phase === 'VALIDATING' || j().phase === 'WRITING'}>
                <div class="progress">
                  <progress max="1" value={j().progress} data-testid="import-progress" />
                  <span>{progressText()}</span>
                </div>
              </Show>
              <Show when={j().error}>
                <p class="import-error" role="alert" data-testid="job-error">{j().error}</p>
              </Show>
              <p class="counts" data-testid="import-counts">
                <Show
                  when={j().phase === 'DONE' || j().phase === 'WRITING' || j().committedRows > 0}
                  fallback={t('import.counts.preview', { rows: j().totalRows, rejected: j().rejected, warnings: j().warnings })}
                >
                  {t('import.counts.done', { created: j().created, updated: j().updated, unchanged: j().unchanged, rejected: j().rejected })}
                </Show>
              </p>

              <Show when={(j().phase === 'READY' || j().phase === 'NEEDS_MAPPING') && j().columns?.length}>
                <h3>{t('import.preview')}</h3>
                <p class="hint">{t('import.mapping.hint')}</p>
                <div class="table-scroll">
                  <table class="preview" data-testid="import-preview">
                    <thead>
                      <tr>
                        <For each={j().columns}>
                          {(c) => (
                            <th classList={{ mapped: !!draft()[c.index] }}>
                              <div class="label">{c.label || `#${c.index + 1}`}</div>
                              <select value={draft()[c.index] ?? ''} onChange={(e) => chooseField(c.index, e.currentTarget.value)} data-testid={`map-${c.index}`} aria-label={t('import.mapping.for', { column: c.label || `#${c.index + 1}` })}>
                                <option value="">—</option>
                                <For each={j().fields ?? []}>{(f) => <option value={f.field}>{f.label}{f.required ? ' *' : ''}</option>}</For>
                              </select>
                            </th>
                          )}
                        </For>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={j().sampleRows ?? []}>
                        {(row) => (
                          <tr>
                            <For each={j().columns}>{(c) => <td classList={{ mapped: !!draft()[c.index] }}>{row.cells[c.index] ?? ''}</td>}</For>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
                <div class="actions">
                  <button type="button" disabled={!mappingChanged() || busy()} onClick={() => void applyMapping()} data-testid="import-apply-mapping">
                    {t('import.mapping.apply')}
                  </button>
                </div>
              </Show>

              <Show when={(j().problems?.totalCount ?? 0) > 0}>
                <h3>
                  {t('import.problems', { count: j().problems!.totalCount })}{' '}
                  <a href={`/import/${j().id}/problems.csv`} download="" data-testid="import-problems-csv">
                    {t('import.problems.download')}
                  </a>
                </h3>
                <div class="table-scroll problems">
                  <table data-testid="import-problems">
                    <thead>
                      <tr>
                        <th>{t('import.problems.row')}</th>
                        <th>{t('import.problems.severity')}</th>
                        <th>{t('import.problems.message')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={j().problems!.edges}>
                        {({ node }) => (
                          <tr class={`sev-${node.severity}`}>
                            <td>{node.rowNumber || '—'}</td>
                            <td>{node.severity === 'ERROR' ? t('import.problems.error') : t('import.problems.warning')}</td>
                            <td>{node.message}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>

              <div class="actions">
                <Show when={j().phase === 'READY'}>
                  <button type="button" class="primary" disabled={busy() || mappingChanged()} onClick={() => void commit()} data-testid="import-commit">
                    {t('import.commit', { rows: j().totalRows - j().rejected })}
                  </button>
                </Show>
                <Show when={j().phase === 'INTERRUPTED' || (j().phase === 'FAILED' && j().totalRows > 0)}>
                  <button type="button" class="primary" disabled={busy()} onClick={() => void commit()} data-testid="import-resume">
                    {t('import.resume', { done: j().committedRows, total: j().totalRows })}
                  </button>
                </Show>
                <Show when={['READY', 'NEEDS_MAPPING', 'INTERRUPTED', 'WRITING'].includes(j().phase)}>
                  <button type="button" disabled={busy()} onClick={() => void cancel()} data-testid="import-cancel">
                    {j().phase === 'WRITING' ? t('import.stop') : t('import.cancel')}
                  </button>
                </Show>
              </div>
            </div>
          )}
        </Show>

        <div class="panel history">
          <h2>{t('import.history')}</h2>
          <div class="table-scroll">
            <table data-testid="import-history">
              <thead>
                <tr>
                  <th>{t('import.history.when')}</th>
                  <th>{t('import.history.file')}</th>
                  <th>{t('import.history.who')}</th>
                  <th>{t('import.history.status')}</th>
                  <th class="num">{t('import.history.created')}</th>
                  <th class="num">{t('import.history.updated')}</th>
                  <th class="num">{t('import.history.unchanged')}</th>
                  <th class="num">{t('import.history.rejected')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={history() ?? []}>
                  {(h) => (
                    <tr classList={{ selected: h.id === jobId() }} onClick={() => (setDetail(undefined), setJobId(h.id))}>
                      <td>{when(h.createdAt)}</td>
                      <td title={`SHA-256 ${h.fileHash}`}>
                        {h.fileName} <span class="hash">{h.fileHash.slice(0, 8)}</span>
                      </td>
                      <td>{h.createdByName ?? '—'}</td>
                      <td>{t(PHASE_KEYS[h.phase])}</td>
                      <td class="num">{n(h.created)}</td>
                      <td class="num">{n(h.updated)}</td>
                      <td class="num">{n(h.unchanged)}</td>
                      <td class="num">{n(h.rejected)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </div>

        <div class="panel reports" data-testid="reports">
          <h2>{t('report.title')}</h2>
          <label class="field">
            <span>{t('report.drive')}</span>
            <select value={driveId()} onChange={(e) => (setDriveId(e.currentTarget.value), setVisitId(''))} data-testid="report-drive">
              <For each={drives() ?? []}>{(d) => <option value={d.id}>{d.name}</option>}</For>
            </select>
          </label>
          <Show when={driveId()}>
            <div class="actions">
              <a class="button" href={`/export/tallies.xlsx?driveId=${encodeURIComponent(driveId())}`} download="" data-testid="report-xlsx">{t('report.talliesXlsx')}</a>
              <a class="button" href={`/export/tallies.csv?driveId=${encodeURIComponent(driveId())}&by=SCHOOL`} download="">{t('report.talliesCsvSchool')}</a>
              <a class="button" href={`/export/tallies.csv?driveId=${encodeURIComponent(driveId())}&by=DISTRICT`} download="">{t('report.talliesCsvDistrict')}</a>
            </div>
            <label class="field">
              <span>{t('report.visit')}</span>
              <select value={visitId()} onChange={(e) => setVisitId(e.currentTarget.value)} data-testid="report-visit">
                <option value="">—</option>
                <For each={visits() ?? []}>{(v) => <option value={v.id}>{formatDateId(v.date)} · {v.school.name}</option>}</For>
              </select>
            </label>
            <Show when={visitId()}>
              <div class="actions">
                <a class="button" href={`/export/visit-sheet.html?visitId=${encodeURIComponent(visitId())}`} target="_blank" rel="noopener">{t('report.visitPrint')}</a>
                <a class="button" href={`/export/visit-sheet.xlsx?visitId=${encodeURIComponent(visitId())}`} download="">{t('report.visitXlsx')}</a>
              </div>
            </Show>
          </Show>
        </div>
      </div>
    </section>
  );
}
