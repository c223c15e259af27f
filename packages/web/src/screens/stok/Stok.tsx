// Stok: the office's blank e-KTP cards — balance, runway at the recent pace, alerts, the ledger
// with a running balance (prints summed per day), and forms to record a movement and to set the
// alert threshold.
import { createResource, createSignal, For, Show } from 'solid-js';
import { fieldLabel, formatDateId, formatMessage, movementsBelowZero, parseDateInput, STOCK_MOVEMENT_KINDS, validateStockMovement } from '@jemput/core';
import { request } from '../../api/client.ts';
import { locale, t } from '../../i18n/locale.ts';
import { formatNumber } from '../../i18n/dictionary.ts';
import { todayInJakarta } from '../../util.ts';

type Line = { id: string; date: string; kind: (typeof STOCK_MOVEMENT_KINDS)[number]; quantity: number; delta: number; notes: string | null; prints: number | null; balance: number };
type Stock = {
  balance: number;
  threshold: number;
  usedLast7Days: number;
  runwayDays: number | null;
  electionDate: string | null;
  daysToElection: number | null;
  alerts: { code: string; message: string }[];
  ledger: Line[];
};

const STOCK = /* GraphQL */ `{ blankStock { balance threshold usedLast7Days runwayDays electionDate daysToElection alerts { code message }
  ledger(limit: 1000) { id date kind quantity delta notes prints balance } } }`;

const CREATE = /* GraphQL */ `mutation ($input: StockMovementInput!) { createStockMovement(input: $input) { __typename ... on ValidationError { message } } }`;
const THRESHOLD = /* GraphQL */ `mutation ($t: Int!) { setBlankStockThreshold(threshold: $t) { __typename ... on ValidationError { message } } }`;

const MANUAL_KINDS = ['RECEIVED', 'SPOILED', 'CORRECTION'] as const;

export default function Stok() {
  const [stock, { refetch }] = createResource(async () => (await request<{ blankStock: Stock | null }>(STOCK, {})).blankStock);
  const [kind, setKind] = createSignal<(typeof MANUAL_KINDS)[number]>('RECEIVED');
  const [quantity, setQuantity] = createSignal('');
  const [date, setDate] = createSignal(formatDateId(todayInJakarta()));
  const [notes, setNotes] = createSignal('');
  const [message, setMessage] = createSignal<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const [threshold, setThreshold] = createSignal<string | null>(null);
  const n = (value: number) => formatNumber(locale(), value);

  const addMovement = async (e: Event) => {
    e.preventDefault();
    // Quantities as typed in Indonesian (1.200), dates as dd/mm/yyyy (or yyyy-mm-dd).
    const input = { kind: kind(), quantity: Number(quantity().replace(/\./g, '')), date: parseDateInput(date().trim()) ?? date().trim(), notes: notes().trim() || null };
    const issues = validateStockMovement(input, 'create', { today: todayInJakarta() }).filter((i) => i.severity === 'error');
    if (issues.length) {
      setMessage({ tone: 'error', text: issues.map((i) => formatMessage({ code: i.code, params: { field: fieldLabel(i.field, locale()), ...i.params } }, locale())).join('; ') });
      return;
    }
    // The server's rule, said before sending: cards that are not in stock can't be spoiled.
    const short = stock() ? movementsBelowZero(stock()!.balance, [input])[0] : undefined;
    if (short) return void setMessage({ tone: 'error', text: formatMessage({ code: 'STOCK_BELOW_ZERO', params: { balance: n(short.balance), quantity: n(Math.abs(input.quantity)) } }, locale()) });
    try {
      const result = await request<{ createStockMovement: { __typename: string; message?: string } }>(CREATE, { input }, 'mutation');
      if (result.createStockMovement.message) return void setMessage({ tone: 'error', text: result.createStockMovement.message });
      setMessage({ tone: 'ok', text: t('stock.saved') });
      setQuantity('');
      setNotes('');
      await refetch();
    } catch (error) {
      setMessage({ tone: 'error', text: (error as Error).message });
    }
  };

  const saveThreshold = async () => {
    const value = Number(threshold());
    try {
      const result = await request<{ setBlankStockThreshold: { message?: string } }>(THRESHOLD, { t: Number.isInteger(value) ? value : -1 }, 'mutation');
      if (result.setBlankStockThreshold.message) return void setMessage({ tone: 'error', text: result.setBlankStockThreshold.message });
      setThreshold(null);
      setMessage({ tone: 'ok', text: t('stock.saved') });
      await refetch();
    } catch (error) {
      setMessage({ tone: 'error', text: (error as Error).message });
    }
  };

  return (
    <section class="screen stok">
      <div class="screen-head">
        <h1>{t('stock.title')}</h1>
      </div>
      <Show when={stock.error}>
        <p class="screen-error">{t('offline')}</p>
      </Show>
      <Show when={stock()}>
        {(s) => (
          <>
            <div class="stok-cards">
              <div class="stok-card" classList={{ alert: s().balance < s().threshold }}>
                <span class="label">{t('stock.balance')}</span>
                <span class="value" data-testid="stock-balance">{n(s().balance)}</span>
              </div>
              <div class="stok-card">
                <span class="label">{t('stock.runway')}</span>
                <span class="value small">{s().runwayDays === null ? t('stock.runwayUnknown') : t('stock.runwayDays', { count: s().runwayDays! })}</span>
              </div>
              <div class="stok-card">
                <span class="label">{t('stock.used7')}</span>
                <span class="value">{n(s().usedLast7Days)}</span>
              </div>
              <Show when={s().electionDate}>
                <div class="stok-card">
                  <span class="label">{t('stock.election')}</span>
                  <span class="value small">{t('stock.electionIn', { date: formatDateId(s().electionDate!), count: s().daysToElection ?? 0 })}</span>
                </div>
              </Show>
              <div class="stok-card">
                <label class="label" for="stock-threshold">{t('stock.threshold')}</label>
                <span class="threshold">
                  <input id="stock-threshold" type="number" min="0" value={threshold() ?? String(s().threshold)} onInput={(e) => setThreshold(e.currentTarget.value)} data-testid="stock-threshold" />
                  <Show when={threshold() !== null}>
                    <button type="button" onClick={() => void saveThreshold()}>
                      {t('stock.saveThreshold')}
                    </button>
                  </Show>
                </span>
              </div>
            </div>
            <div class="stock-alerts" data-testid="stock-alerts">
              <Show when={s().alerts.length > 0} fallback={<p class="stock-alert ok">{t('stock.ok')}</p>}>
                <For each={s().alerts}>{(a) => <p class={`stock-alert code-${a.code.toLowerCase()}`} role="alert">{a.message}</p>}</For>
              </Show>
            </div>
          </>
        )}
      </Show>
      <form class="stock-form" onSubmit={(e) => void addMovement(e)} data-testid="stock-form">
        <strong>{t('stock.add')}</strong>
        <label>
          {t('stock.kind')}{' '}
          <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as (typeof MANUAL_KINDS)[number])} data-testid="stock-kind">
            <For each={MANUAL_KINDS}>{(k) => <option value={k}>{t(`stock.kind.${k}`)}</option>}</For>
          </select>
        </label>
        <label>
          {t('stock.quantity')} <input type="text" inputmode="numeric" size="8" value={quantity()} onInput={(e) => setQuantity(e.currentTarget.value)} data-testid="stock-quantity" />
        </label>
        <label>
          {t('stock.date')} <input type="text" size="10" placeholder="dd/mm/yyyy" value={date()} onInput={(e) => setDate(e.currentTarget.value)} data-testid="stock-date" />
        </label>
        <label class="grow">
          {t('stock.notes')} <input type="text" value={notes()} onInput={(e) => setNotes(e.currentTarget.value)} data-testid="stock-notes" />
        </label>
        <button type="submit" data-testid="stock-save">{t('stock.save')}</button>
        <Show when={message()}>{(m) => <span class={m().tone === 'error' ? 'tone-error' : 'tone-ok'} data-testid="stock-message">{m().text}</span>}</Show>
      </form>
      <div class="stock-ledger">
        <table data-testid="stock-ledger">
          <thead>
            <tr>
              <th>{t('stock.date')}</th>
              <th>{t('stock.kind')}</th>
              <th class="num">{t('stock.quantity')}</th>
              <th>{t('stock.notes')}</th>
              <th class="num">{t('stock.col.balance')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={stock()?.ledger ?? []}>
              {(line) => (
                <tr class={`kind-${line.kind.toLowerCase()}`}>
                  <td>{formatDateId(line.date)}</td>
                  <td>{t(`stock.kind.${line.kind}`)}</td>
                  <td class="num">{(line.delta > 0 ? '+' : line.delta < 0 ? '−' : '') + n(Math.abs(line.delta))}</td>
                  <td>{line.prints !== null ? t('stock.printedCount', { count: line.prints }) : (line.notes ?? '')}</td>
                  <td class="num">{n(line.balance)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
