// The drive a screen works on (Kunjungan, Dasbor): remembered across screens and reloads; the
// drive under way today (or the newest) until the officer picks another.
import { createEffect, createResource, createRoot, createSignal, For } from 'solid-js';
import { formatDateId } from '@jemput/core';
import { t } from '../i18n/locale.ts';
import { fetchDriveOptions, type DriveOption } from './entity-api.ts';
import { todayInJakarta } from '../util.ts';

const KEY = 'jemput.drive';

const store = createRoot(() => {
  const [chosen, setChosen] = createSignal<string | null>(globalThis.localStorage?.getItem(KEY) ?? null);
  return { chosen, setChosen };
});

/** The drives, and the chosen one (falls back to the newest when the stored one is gone). */
export function useDrive() {
  const [drives] = createResource(() => fetchDriveOptions().catch((): DriveOption[] => []));
  const drive = (): DriveOption | null => {
    const list = drives.state === 'ready' ? drives() : [];
    const today = todayInJakarta();
    // Not chosen yet: the drive under way today, else the newest.
    return list.find((d) => d.id === store.chosen()) ?? list.find((d) => d.startDate <= today && today <= d.endDate) ?? list[0] ?? null;
  };
  const choose = (id: string) => {
    store.setChosen(id);
    globalThis.localStorage?.setItem(KEY, id);
  };
  return { drives: () => (drives.state === 'ready' ? drives() : []), drive, choose, loading: () => drives.loading };
}

export function DrivePicker(props: { drives: DriveOption[]; drive: DriveOption | null; onChoose(id: string): void }) {
  // Keeps the select showing the drive actually used.
  let select!: HTMLSelectElement;
  createEffect(() => {
    if (select && props.drive) select.value = props.drive.id;
  });
  return (
    <label class="field">
      <span class="field-label">{t('drive.pick')}</span>
      <select ref={select} value={props.drive?.id ?? ''} onChange={(e) => props.onChoose(e.currentTarget.value)} data-testid="drive-select">
        <For each={props.drives}>
          {(d) => (
            <option value={d.id}>
              {d.name} · {formatDateId(d.electionDate)}
            </option>
          )}
        </For>
      </select>
    </label>
  );
}
