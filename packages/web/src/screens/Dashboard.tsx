// Dasbor: a drive's live numbers — the office's progress, recordings per day against the pace
// needed to finish by election day, blank-card stock and how long it lasts, and progress per
// district and per school. The tallies query gives the start; tallyUpdates pushes the rows that
// changed, so the numbers move while teams record elsewhere.
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { formatDateId } from '@jemput/core';
import { locale, t } from '../i18n/locale.ts';
import { formatNumber, formatPercent } from '../i18n/dictionary.ts';
import { subscribeLive } from '../api/live.ts';
import { DrivePicker, useDrive } from './DrivePicker.tsx';
import { dailySeries, fetchDashboard, fetchRecordingDays, mergeReport, niceMax, TALLY_UPDATES, type RecordingDay, type TallyReport, type TallyRow } from './dashboard-data.ts';

const n = (value: number) => formatNumber(locale(), value);

function Stat(props: { label: string; value: string; hint?: string; tone?: 'good' | 'warn' | 'bad'; testid?: string }) {
  return (
    <div class={`stat ${props.tone ? `tone-${props.tone}` : ''}`}>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value" data-testid={props.testid}>
        {props.value}
      </span>
      <Show when={props.hint}>
        <span class="stat-hint">{props.hint}</span>
      </Show>
    </div>
  );
}

/** Recorded share of the students still to be recorded for (eligible minus those found ineligible). */
function Progress(props: { row: TallyRow }) {
  const targets = () => Math.max(0, props.row.eligible - props.row.notEligible);
  const printed = () => (targets() ? (props.row.printed / targets()) * 100 : 0);
  return (
    <div class="progress" role="img" aria-label={`${formatPercent(locale(), props.row.percentDone / 100)}`}>
      <div class="progress-recorded" style={{ width: `${Math.min(100, props.row.percentDone)}%` }} />
      <div class="progress-printed" style={{ width: `${Math.min(100, printed())}%` }} />
      <span class="progress-text">{formatPercent(locale(), props.row.percentDone / 100)}</span>
    </div>
  );
}

function TallyTable(props: { rows: TallyRow[]; testid: string; onPick?: (row: TallyRow) => void; picked?: string | null }) {
  return (
    <table class="tally-table" data-testid={props.testid}>
      <thead>
        <tr>
          <th>{t('dash.name')}</th>
          <th class="bar-col">{t('dash.progress')}</th>
          <th>{t('dash.eligible')}</th>
          <th>{t('dash.recorded')}</th>
          <th>{t('dash.remaining')}</th>
          <th>{t('dash.printed')}</th>
          <th>{t('dash.awaitingBlanks')}</th>
          <th>{t('dash.ikd')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(row) => (
            <tr classList={{ picked: props.picked === row.key, pickable: !!props.onPick }} onClick={() => props.onPick?.(row)} data-key={row.key}>
              <td class="name">{row.name}</td>
              <td class="bar-col">
                <Progress row={row} />
              </td>
              <td>{n(row.eligible)}</td>
              <td data-field="recorded">{n(row.recorded)}</td>
              <td>{n(row.remaining)}</td>
              <td>{n(row.printed)}</td>
              <td classList={{ warn: row.awaitingBlanks > 0 }}>{n(row.awaitingBlanks)}</td>
              <td>{n(row.ikdActivated)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/** Bars of recordings per day; dashed line: the pace needed from today to finish by election day; dotted: the last 7 days' pace. */
function PaceChart(props: { days: RecordingDay[]; needed: number; pace: number }) {
  const W = 960;
  const H = 260;
  const pad = { left: 44, right: 12, top: 12, bottom: 28 };
  const top = () => niceMax(Math.max(props.needed, props.pace, ...props.days.map((d) => d.recorded)));
  const x = (i: number) => pad.left + (i * (W - pad.left - pad.right)) / Math.max(1, props.days.length);
  const barWidth = () => Math.max(1, (W - pad.left - pad.right) / Math.max(1, props.days.length) - 2);
  const y = (v: number) => H - pad.bottom - (v / top()) * (H - pad.top - pad.bottom);
  const labelEvery = () => Math.max(1, Math.ceil(props.days.length / 10));
  return (
    <svg class="pace-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('dash.chartTitle')} data-testid="pace-chart">
      <For each={[0, 0.5, 1]}>
        {(f) => (
          <g>
            <line x1={pad.left} x2={W - pad.right} y1={y(top() * f)} y2={y(top() * f)} class="grid-line" />
            <text x={pad.left - 6} y={y(top() * f) + 4} class="axis-label" text-anchor="end">
              {n(top() * f)}
            </text>
          </g>
        )}
      </For>
      <For each={props.days}>
        {(d, i) => (
          <g>
            <rect x={x(i()) + 1} width={barWidth()} y={y(d.recorded)} height={Math.max(0, H - pad.bottom - y(d.recorded))} class="bar">
              <title>
                {formatDateId(d.date)}: {n(d.recorded)}
              </title>
            </rect>
            <Show when={i() % labelEvery() === 0}>
              <text x={x(i()) + barWidth() / 2} y={H - 10} class="axis-label" text-anchor="middle">
                {formatDateId(d.date).slice(0, 5)}
              </text>
            </Show>
          </g>
        )}
      </For>
      <line x1={pad.left} x2={W - pad.right} y1={y(props.needed)} y2={y(props.needed)} class="needed-line" />
      <line x1={pad.left} x2={W - pad.right} y1={y(props.pace)} y2={y(props.pace)} class="pace-line" />
    </svg>
  );
}

export default function Dashboard() {
  const { drives, drive, choose } = useDrive();
  const [report, setReport] = createSignal<TallyReport | null>(null);
  const [days, setDays] = createSignal<RecordingDay[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  const [district, setDistrict] = createSignal<string | null>(null);

  createEffect(
    on(
      () => drive()?.id,
      (driveId) => {
        setReport(null);
        setDays([]);
        if (!driveId) return;
        const load = () =>
          fetchDashboard(driveId)
            .then((data) => {
              setReport(data.report);
              setDays(data.days);
              setError(null);
            })
            .catch((e: Error) => setError(e.message));
        void load();
        let daysTimer: ReturnType<typeof setTimeout> | undefined;
        const stop = subscribeLive<{ tallyUpdates: TallyReport }>(
          TALLY_UPDATES,
          { d: driveId },
          (data) => {
            setReport((current) => mergeReport(current, data.tallyUpdates));
            // The per-day counts come from their own query: read them again once a burst settles.
            clearTimeout(daysTimer);
            daysTimer = setTimeout(() => void fetchRecordingDays(driveId).then(setDays).catch(() => undefined), 500);
          },
          () => void load(),
        );
        onCleanup(() => {
          clearTimeout(daysTimer);
          stop();
        });
      },
    ),
  );

  const office = createMemo(() => report()?.rows.find((r) => r.scope === 'OFFICE') ?? null);
  const districts = createMemo(() => (report()?.rows ?? []).filter((r) => r.scope === 'DISTRICT').sort((a, b) => a.name.localeCompare(b.name)));
  const schools = createMemo(() =>
    (report()?.rows ?? [])
      .filter((r) => r.scope === 'SCHOOL' && (!district() || r.districtCode === district()))
      .sort((a, b) => a.percentDone - b.percentDone || a.name.localeCompare(b.name)),
  );
  const series = createMemo(() => {
    const r = report();
    const d = drive();
    return r && d ? dailySeries(days(), d.startDate, r.today) : [];
  });

  const stock = () => report()?.blankStock;
  const runwayTone = () => {
    const s = stock();
    const o = office();
    if (!s || !o) return undefined;
    if (s.balance < o.awaitingBlanks + o.printable) return 'bad';
    return s.runwayDays !== null && s.runwayDays < (o.forecast.daysLeft ?? 0) ? 'warn' : 'good';
  };

  return (
    <section class="screen dashboard">
      <div class="screen-head">
        <h1>{t('dash.title')}</h1>
        <Show when={report()}>{(r) => <span class="count">{t('dash.asOf', { today: formatDateId(r().today), election: formatDateId(r().electionDate) })}</span>}</Show>
        <div class="spacer" />
        <span class="live-dot" title={t('dash.liveTitle')}>
          {t('dash.live')}
        </span>
        <DrivePicker drives={drives()} drive={drive()} onChoose={choose} />
      </div>
      <Show when={error()}>
        <p class="screen-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={office()} fallback={<p class="loading">{t('dash.loading')}</p>}>
        {(o) => (
          <div class="dash-body">
            <div class="stats" data-testid="office-stats">
              <Stat label={t('dash.eligible')} value={n(o().eligible)} hint={t('dash.eligibleHint')} />
              <Stat label={t('dash.recorded')} value={n(o().recorded)} hint={formatPercent(locale(), o().percentDone / 100)} testid="office-recorded" tone="good" />
              <Stat label={t('dash.remaining')} value={n(o().remaining)} hint={t('dash.recordedToday', { count: o().recordedToday })} testid="office-remaining" />
              <Stat label={t('dash.printed')} value={n(o().printed)} hint={t('dash.printable', { count: o().printable })} />
              <Stat label={t('dash.awaitingBlanks')} value={n(o().awaitingBlanks)} tone={o().awaitingBlanks > 0 ? 'warn' : undefined} />
              <Stat label={t('dash.ikd')} value={n(o().ikdActivated)} />
            </div>
            <div class="dash-row">
              <div class="card chart-card">
                <h2>{t('dash.chartTitle')}</h2>
                <PaceChart days={series()} needed={o().forecast.neededPerDay} pace={o().forecast.pacePerDay} />
                <p class="legend">
                  <span class="key bar-key" /> {t('dash.legendRecorded')} <span class="key needed-key" /> {t('dash.legendNeeded', { count: o().forecast.neededPerDay })}{' '}
                  <span class="key pace-key" /> {t('dash.legendPace', { count: formatNumber(locale(), o().forecast.pacePerDay) })}
                </p>
                <p class={`forecast ${o().forecast.onTrack ? 'tone-good' : 'tone-bad'}`} data-testid="forecast">
                  {o().forecast.onTrack ? t('dash.onTrack', { days: o().forecast.daysLeft }) : t('dash.behind', { days: o().forecast.daysLeft, needed: o().forecast.neededPerDay })}
                </p>
              </div>
              <div class={`card stock-card tone-${runwayTone() ?? 'good'}`} data-testid="stock-card">
                <h2>{t('dash.stockTitle')}</h2>
                <p class="big" data-testid="stock-balance">
                  {n(stock()?.balance ?? 0)}
                </p>
                <p>{t('dash.stockUsed', { count: stock()?.usedLast7Days ?? 0 })}</p>
                <p data-testid="stock-runway">
                  {stock()?.runwayDays == null ? t('dash.runwayUnknown') : t('dash.runway', { days: stock()!.runwayDays! })}
                </p>
                <p>{t('dash.stockNeed', { count: o().awaitingBlanks + o().printable })}</p>
              </div>
            </div>
            <div class="card">
              <h2>{t('dash.byDistrict')}</h2>
              <TallyTable rows={districts()} testid="district-table" picked={district()} onPick={(row) => setDistrict(district() === row.key ? null : row.key)} />
            </div>
            <div class="card">
              <h2>
                {t('dash.bySchool')}
                <Show when={district()}>
                  {' · '}
                  {districts().find((d) => d.key === district())?.name}{' '}
                  <button type="button" class="tool" onClick={() => setDistrict(null)}>
                    {t('dash.allDistricts')}
                  </button>
                </Show>
              </h2>
              <TallyTable rows={schools()} testid="school-table" />
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
