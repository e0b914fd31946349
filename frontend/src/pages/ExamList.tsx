import { useState } from 'react';
import { Link, navigate } from '../lib/router';
import { setPendingImport } from '../lib/imports';
import { ImportDialog } from './editor/ImportDialog';
import { ErrorMessage, formatDateTime, Loading, StatusBadge, useAsync, useStaffPage, PageHeader, ExamLinks } from '../components/ui';

export function ExamListPage() {
  const { t, lang, api } = useStaffPage('exams.title');
  const { data, error, loading } = useAsync(() => api.listExams(), [api]);
  const items = data?.items ?? [];
  const [importing, setImporting] = useState(false);

  return (
    <section className="page">
      <PageHeader
        title={t('exams.title')}
        actions={
          <>
            <button type="button" className="btn" onClick={() => setImporting(true)}>
              {t('import.open')}
            </button>
            <Link to="/exams/new" className="btn btn-primary">
              {t('exams.new')}
            </Link>
          </>
        }
      />
      {importing ? (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={(r) => {
            // The new draft's editor opens it, unsaved.
            setPendingImport(r);
            setImporting(false);
            navigate('/exams/new');
          }}
        />
      ) : null}
      {loading ? <Loading /> : null}
      <ErrorMessage error={error} />
      {!loading && !error && items.length === 0 ? (
        <div className="empty card">
          <p>{t('exams.empty')}</p>
        </div>
      ) : null}
      {items.length > 0 ? (
        <ul className="exam-list">
          {items.map((e) => (
            <li key={e.id} className="card exam-card">
              <div className="exam-card-main">
                <h2>
                  <Link to={`/exams/${e.id}`}>{e.title || t('exams.untitled')}</Link>
                </h2>
                <p className="muted small">
                  {e.status ? <StatusBadge status={e.status} /> : null}{' '}
                  {e.latest_version ? t('exams.version', { n: e.latest_version }) : t('exams.neverPublished')}
                  {typeof e.question_count === 'number' ? ` · ${t('exams.questions', { n: e.question_count })}` : ''}
                  {e.updated_at ? ` · ${formatDateTime(e.updated_at, lang)}` : ''}
                </p>
              </div>
              <nav className="exam-card-actions" aria-label={t('exams.actionsFor', { title: e.title })}>
                <ExamLinks examId={e.id} pages={['edit', 'invitations', 'results']} />
              </nav>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
