import { t } from '../i18n/locale.ts';

export function ComingSoon(props: { title: string }) {
  return (
    <section class="screen soon">
      <h1>{props.title}</h1>
      <p class="soon-badge">{t('soon.title')}</p>
      <p>{t('soon.body', { screen: props.title })}</p>
    </section>
  );
}
