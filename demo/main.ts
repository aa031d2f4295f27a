// Entry: the demo page, or (./?view=second) the small "second tab" page shown in its iframe.
import '../devtools/views.css';
import './styles.css';
import { startApp } from './app.ts';
import { startSecondTab } from './second-tab.ts';
import { serverControl } from './server-control.ts';

const root = document.querySelector<HTMLElement>('#app');
if (root) {
  if (new URLSearchParams(location.search).get('view') === 'second') startSecondTab(root);
  else {
    void startApp(root);
    document.body.append(serverControl());
  }
}
