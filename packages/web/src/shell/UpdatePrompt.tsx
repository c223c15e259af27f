// "New version available — reload": the service worker found a new app shell; the user decides
// when to switch (a reload in the middle of typing would lose the cell being edited).
import { Show } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';
import { t } from '../i18n/locale.ts';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  // The new service worker reloads the page once it controls it; reload anyway if that doesn't come.
  const reload = () => {
    void updateServiceWorker(true);
    setTimeout(() => location.reload(), 3000);
  };
  return (
    <>
      <Show when={needRefresh()}>
        <div class="toast toast-update" role="alert">
          <span>{t('update.available')}</span>
          <button type="button" class="primary" onClick={reload}>
            {t('update.reload')}
          </button>
          <button type="button" onClick={() => setNeedRefresh(false)}>
            {t('update.later')}
          </button>
        </div>
      </Show>
      <Show when={offlineReady() && !needRefresh()}>
        <div class="toast" role="status" ref={() => setTimeout(() => setOfflineReady(false), 4000)}>
          {t('update.offlineReady')}
        </div>
      </Show>
    </>
  );
}
