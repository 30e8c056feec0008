// Entry point: the language first (it sets dir on <html>), then the app.
import { App } from './components/App.js';
import { html, render } from './html.js';
import { startLanguage } from './i18n.js';

await startLanguage();
render(html`<${App} />`, document.getElementById('app'));
