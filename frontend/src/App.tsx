import { Suspense, lazy, useEffect } from 'react';
import type { ReactNode } from 'react';
import { StaffProvider, useStaff, useT } from './context';
import { Link, matchRoute, navigate, useLocation } from './lib/router';
import type { Params } from './lib/router';
import type { Role } from './lib/types';
import { LangSwitch } from './components/ui';
import { addMessages } from './lib/i18n';
import { en, zh } from './lib/messages';

// The staff side's texts join the candidate's built-in ones before any
// staff page renders (this module is the staff side's way in).
addMessages(en, zh);

// The staff shell. main.tsx loads it with import() for every path but
// /take/, so the candidate's link loads only the entry chunk (main.tsx, the
// Take page and what they import) and none of this. Every staff page is a
// chunk of its own besides, loaded on first use, so nothing a staff page
// imports (editor, charts, statistics) reaches a candidate's phone.
// scripts/candidate-budget.mjs checks both after the build. Keep staff
// pages out of static imports here.
const LoginPage = lazy(() => import('./pages/Auth').then((m) => ({ default: m.LoginPage })));
const SignupPage = lazy(() => import('./pages/Auth').then((m) => ({ default: m.SignupPage })));
const ExamListPage = lazy(() => import('./pages/ExamList').then((m) => ({ default: m.ExamListPage })));
const ExamEditorPage = lazy(() => import('./pages/ExamEditor').then((m) => ({ default: m.ExamEditorPage })));
const InvitationsPage = lazy(() => import('./pages/Invitations').then((m) => ({ default: m.InvitationsPage })));
const ResultsPage = lazy(() => import('./pages/Results').then((m) => ({ default: m.ResultsPage })));
const ReportPage = lazy(() => import('./pages/Report').then((m) => ({ default: m.ReportPage })));
const AttemptPage = lazy(() => import('./pages/Attempt').then((m) => ({ default: m.AttemptPage })));
const VersionPage = lazy(() => import('./pages/Version').then((m) => ({ default: m.VersionPage })));
const ReviewPage = lazy(() => import('./pages/Review').then((m) => ({ default: m.ReviewPage })));
const UsersPage = lazy(() => import('./pages/Users').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('./pages/Audit').then((m) => ({ default: m.AuditPage })));
const BankPage = lazy(() => import('./pages/Bank').then((m) => ({ default: m.BankPage })));
const PositionsPage = lazy(() => import('./pages/Positions').then((m) => ({ default: m.PositionsPage })));
const PositionPage = lazy(() => import('./pages/Position').then((m) => ({ default: m.PositionPage })));
const WebhooksPage = lazy(() => import('./pages/Webhooks').then((m) => ({ default: m.WebhooksPage })));

interface Route {
  path: string;
  roles?: Role[]; // staff only when set
  render: (p: Params) => ReactNode;
}

const AUTHORS: Role[] = ['admin', 'recruiter'];
const REVIEWERS: Role[] = ['admin', 'reviewer'];

const routes: Route[] = [
  { path: '/login', render: () => <LoginPage /> },
  { path: '/signup', render: () => <SignupPage /> },
  { path: '/exams', roles: AUTHORS, render: () => <ExamListPage /> },
  // No key: the editor stays mounted from /exams/new to /exams/<id> once the
  // new exam is saved, and loads afresh itself when given another id.
  { path: '/exams/new', roles: AUTHORS, render: () => <ExamEditorPage /> },
  { path: '/exams/:id', roles: AUTHORS, render: (p) => <ExamEditorPage id={p.id} /> },
  { path: '/exams/:id/invitations', roles: AUTHORS, render: (p) => <InvitationsPage examId={p.id} /> },
  { path: '/exams/:id/results', roles: AUTHORS, render: (p) => <ResultsPage examId={p.id} /> },
  {
    path: '/exams/:id/versions/:n',
    roles: AUTHORS,
    render: (p) => <VersionPage key={`${p.id}/${p.n}`} examId={p.id} version={Number(p.n)} />,
  },
  { path: '/attempts/:id', roles: AUTHORS, render: (p) => <AttemptPage attemptId={p.id} /> },
  { path: '/bank', roles: AUTHORS, render: () => <BankPage /> },
  { path: '/positions', roles: AUTHORS, render: () => <PositionsPage /> },
  { path: '/positions/:id', roles: AUTHORS, render: (p) => <PositionPage key={p.id} id={p.id} /> },
  { path: '/attempts/:id/report', roles: AUTHORS, render: (p) => <ReportPage attemptId={p.id} /> },
  { path: '/review', roles: REVIEWERS, render: () => <ReviewPage /> },
  { path: '/users', roles: ['admin'], render: () => <UsersPage /> },
  { path: '/audit', roles: ['admin'], render: () => <AuditPage /> },
  { path: '/webhooks', roles: ['admin'], render: () => <WebhooksPage /> },
];

export function App() {
  return (
    <StaffProvider>
      <Shell />
    </StaffProvider>
  );
}

function homeFor(role: Role | undefined): string {
  return role === 'reviewer' ? '/review' : '/exams';
}

function Shell() {
  const { path, href } = useLocation();
  const { user } = useStaff();

  if (path === '/' || path === '') {
    return <Redirect to={user ? homeFor(user.role) : '/login'} />;
  }

  for (const r of routes) {
    const params = matchRoute(r.path, path);
    if (!params) continue;
    if (r.roles) {
      if (!user) return <Redirect to={`/login?next=${encodeURIComponent(href)}`} />;
      if (!r.roles.includes(user.role)) {
        return (
          <StaffFrame>
            <DeadEnd title="error.forbidden" />
          </StaffFrame>
        );
      }
    } else if (user && (r.path === '/login' || r.path === '/signup')) {
      return <Redirect to={homeFor(user.role)} />;
    }
    return (
      <StaffFrame>
        <Suspense fallback={null}>{r.render(params)}</Suspense>
      </StaffFrame>
    );
  }
  return (
    <StaffFrame>
      <DeadEnd title="common.notFound" />
    </StaffFrame>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}

function StaffFrame({ children }: { children: ReactNode }) {
  const t = useT();
  const { user, logout } = useStaff();
  const { path } = useLocation();
  const links: { to: string; label: string; roles: Role[] }[] = [
    { to: '/exams', label: t('nav.exams'), roles: AUTHORS },
    { to: '/bank', label: t('nav.bank'), roles: AUTHORS },
    { to: '/positions', label: t('nav.positions'), roles: AUTHORS },
    { to: '/review', label: t('nav.review'), roles: REVIEWERS },
    { to: '/users', label: t('nav.users'), roles: ['admin'] },
    { to: '/audit', label: t('nav.audit'), roles: ['admin'] },
    { to: '/webhooks', label: t('nav.webhooks'), roles: ['admin'] },
  ];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to={user ? homeFor(user.role) : '/login'} className="brand">
            <span className="brand-mark" aria-hidden="true">
              ✓
            </span>{' '}
            examd
          </Link>
          {user ? (
            <nav aria-label={t('nav.main')} className="mainnav">
              <ul>
                {links
                  .filter((l) => l.roles.includes(user.role))
                  .map((l) => (
                    <li key={l.to}>
                      <Link to={l.to} aria-current={path.startsWith(l.to) ? 'page' : undefined}>
                        {l.label}
                      </Link>
                    </li>
                  ))}
              </ul>
            </nav>
          ) : null}
          <div className="topbar-end">
            <LangSwitch />
            {user ? (
              <>
                <span className="whoami" title={user.email}>
                  {user.name} <span className="role">· {t(`role.${user.role}`)}</span>
                </span>
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={async () => {
                    await logout();
                    navigate('/login');
                  }}
                >
                  {t('nav.logout')}
                </button>
              </>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** A page that is not there or not for this user: what is wrong, and the way home. */
function DeadEnd({ title }: { title: 'common.notFound' | 'error.forbidden' }) {
  const t = useT();
  return (
    <section className="page narrow">
      <h1>{t(title)}</h1>
      <p>
        <Link to="/">{t('common.home')}</Link>
      </p>
    </section>
  );
}
