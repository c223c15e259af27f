import { render } from 'solid-js/web';
import { App } from './shell/App.tsx';
import { locale } from './i18n/locale.ts';
import './styles.css';

document.documentElement.lang = locale();
render(() => <App />, document.getElementById('root')!);
