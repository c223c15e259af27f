// Audit (ADMIN): who saw, changed or exported what, newest first, with filters and a CSV
// download of exactly what is filtered. Read-only: the log cannot be changed.
import { createResource, createSignal, For } from 'solid-js';
import { DataGrid, type GridColumnDef } from '../grid/DataGrid.tsx';
import { locale, t } from '../i18n/locale.ts';
import { auditCsvUrl, fetchAuditEvents, fetchUsers, type AuditFilters } from './audit-api.ts';

const ENTITIES = ['Student', 'School', 'Drive', 'Visit', 'Outcome', 'StockMovement', 'User', 'AuditEvent'];
const ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'LOGIN', 'LOGIN_FAILED', 'LOGOUT', 'PASSWORD_CHANGE', 'PASSWORD_RESET', 'REVEAL_NIK', 'EXPORT'];

const when = (iso: unknown, loc: string) =>
  typeof iso === 'string'
    ? new Intl.DateTimeFormat(loc === 'en' ? 'en-GB' : 'id-ID', { timeZone: 'Asia/Jakarta', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso))
    : '';

export default function Audit() {
  const [filters, setFilters] = createSignal<AuditFilters>({ userId: '', entity: '', action: '', from: '', to: '' });
  const [total, setTotal] = createSignal<number | null>(null);
  const [users] = createResource(() => fetchUsers().catch(() => []));
  const set = (key: keyof AuditFilters) => (e: Event) => setFilters({ ...filters(), [key]: (e.currentTarget as HTMLInputElement).value });

  const text = (field: string, header: () => string, width: number, flex?: number): GridColumnDef => ({ field, kind: 'text', editable: false, header, width, ...(flex ? { flex } : {}) });
  const columns: GridColumnDef[] = [
    { ...text('at', () => t('audit.col.at'), 170), display: (row) => when(row.at, locale()), pinned: 'left' },
    { ...text('username', () => t('audit.col.user'), 140), display: (row) => String(row.username ?? row.userDisplayName ?? '') },
    text('action', () => t('audit.col.action'), 140),
    text('entity', () => t('audit.col.entity'), 120),
    text('entityId', () => t('audit.col.entityId'), 150),
    text('field', () => t('audit.col.field'), 110),
    text('oldValue', () => t('audit.col.old'), 180, 1),
    text('newValue', () => t('audit.col.new'), 180, 1),
    text('detail', () => t('audit.col.detail'), 180),
    text('ip', () => t('audit.col.ip'), 120),
  ];

  return (
    <section class="screen audit">
      <div class="screen-head">
        <h1>{t('audit.title')}</h1>
        <span class="count" data-testid="audit-count">
          {total() === null ? '' : t('audit.count', { count: total()! })}
        </span>
        <div class="spacer" />
        <label class="field">
          <span class="sr-only">{t('audit.user')}</span>
          <select onChange={set('userId')} data-testid="audit-user">
            <option value="">{t('audit.allUsers')}</option>
            <For each={users.state === 'ready' ? users() : []}>{(u) => <option value={u.id}>{`${u.displayName} (${u.username})`}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="sr-only">{t('audit.entity')}</span>
          <select onChange={set('entity')} data-testid="audit-entity">
            <option value="">{`${t('audit.entity')}: ${t('audit.any')}`}</option>
            <For each={ENTITIES}>{(e) => <option value={e}>{e}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="sr-only">{t('audit.action')}</span>
          <select onChange={set('action')} data-testid="audit-action">
            <option value="">{`${t('audit.action')}: ${t('audit.any')}`}</option>
            <For each={ACTIONS}>{(a) => <option value={a}>{a}</option>}</For>
          </select>
        </label>
        <label class="field date">
          <span>{t('audit.from')}</span>
          <input type="date" onChange={set('from')} data-testid="audit-from" />
        </label>
        <label class="field date">
          <span>{t('audit.to')}</span>
          <input type="date" onChange={set('to')} data-testid="audit-to" />
        </label>
        <a class="button" href={auditCsvUrl(filters())} download="" data-testid="audit-download">
          {t('audit.download')}
        </a>
      </div>
      <DataGrid
        label={t('audit.title')}
        readOnly
        columns={columns}
        fetchPage={(params) => fetchAuditEvents(params, filters())}
        saveRows={async () => []}
        saveRow={async (row) => ({ id: row.id, status: 'UNCHANGED', problems: [], row: null })}
        deleteRows={async () => []}
        validate={() => []}
        newRow={() => ({ id: '', defaults: {} })}
        refreshKey={() => filters()}
        onTotal={setTotal}
      />
    </section>
  );
}
