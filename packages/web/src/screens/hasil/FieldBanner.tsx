// "Offline — N perubahan menunggu sinkron" / syncing / all synced, with a sync button.
import { Show } from 'solid-js';
import { t } from '../../i18n/locale.ts';
import { fieldState, syncNow } from './field.ts';

export function FieldBanner() {
  const count = () => fieldState.pending().length;
  const tone = () => (fieldState.notStored() ? 'error' : !fieldState.online() ? 'offline' : fieldState.conflicts().length > 0 ? 'conflict' : count() > 0 ? 'waiting' : 'synced');
  const text = () => {
    if (!fieldState.online()) return count() > 0 ? t('field.offline', { count: count() }) : t('field.offlineNone');
    if (count() > 0) return fieldState.syncing() ? t('field.syncing', { count: count() }) : t('field.waiting', { count: count() });
    return t('field.synced');
  };
  return (
    <div class={`field-banner tone-${tone()}`} role="status" data-testid="field-banner" data-pending={count()} data-online={fieldState.online() ? 'yes' : 'no'}>
      <span class="field-dot" aria-hidden="true" />
      <span>{text()}</span>
      <Show when={fieldState.notStored()}>
        <span class="tone-error" data-testid="field-not-stored">· {t('field.notStored', { message: fieldState.notStored()! })}</span>
      </Show>
      <Show when={fieldState.error() && count() > 0}>
        <span class="tone-error" data-testid="field-error">· {t('field.error', { message: fieldState.error()! })}</span>
      </Show>
      <Show when={fieldState.conflicts().length > 0}>
        <span class="field-conflicts">· {t('field.conflicts', { count: fieldState.conflicts().length })}</span>
      </Show>
      <Show when={count() > 0 && fieldState.online() && !fieldState.syncing()}>
        <button type="button" onClick={() => void syncNow()}>
          {t('field.syncNow')}
        </button>
      </Show>
    </div>
  );
}
