import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App, loadInitialState } from './App.tsx';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// The first example is read before the first render (it never rejects: failures
// become a message), and rendered synchronously, so the page is complete once it
// has loaded instead of flashing a loading line.
const initial = await loadInitialState();
const root = createRoot(container);
flushSync(() => {
  root.render(
    <StrictMode>
      <App initial={initial} />
    </StrictMode>,
  );
});
