import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createHttpServices } from './app/services/httpServices';
import type { CreateServices } from './app/services/types';
import './app/app.css';

const createServices: CreateServices = (studentId) => createHttpServices({ studentId });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App createServices={createServices} />
  </StrictMode>,
);
