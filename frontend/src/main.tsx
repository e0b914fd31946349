import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { LangProvider } from './lang';
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

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
