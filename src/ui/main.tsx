import '@xyflow/react/dist/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startEditor } from './startup.ts';
import './styles.css';
import './text.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const { offer } = await startEditor();
createRoot(container).render(
  <StrictMode>
    <App offer={offer} />
  </StrictMode>,
);
