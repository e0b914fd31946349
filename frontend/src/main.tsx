import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { LangProvider, initialLang } from './lang';
import { loadLang } from './lib/i18n';
import { matchRoute, useLocation } from './lib/router';
import { TakePage } from './pages/Take';
import './styles.css';

// The candidate's page is in the entry chunk with nothing of the staff
// side: its link (/take/<token>) is opened on phones, often on slow
// networks, and must be answerable after one round of downloads. Every
// other path loads the staff shell (App.tsx) and its texts on demand.
const StaffApp = lazy(() => import('./App').then((m) => ({ default: m.App })));

function Root() {
  const { path } = useLocation();
  // The candidate's pages have their own, quieter frame.
  const take = matchRoute('/take/:token', path);
  return (
    <LangProvider>
      {take ? (
        <TakePage key={take.token} token={take.token} />
      ) : (
        <Suspense fallback={null}>
          <StaffApp />
        </Suspense>
      )}
    </LangProvider>
  );
}

// The first language's texts (a small chunk of their own) come before the
// first render, so no key shows in their place; should they not come, the
// page renders all the same.
const render = () =>
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
loadLang(initialLang()).then(render, render);
