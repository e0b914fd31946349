import { useEffect, useState } from 'react';
import { useI18n, useStaff } from '../context';
import { Link } from '../lib/router';
import {
  ErrorMessage,
  Loading,
  StatusBadge,
  formatDateTime,
  formatScore,
  useAsync,
  usePageTitle,
} from '../components/ui';

/** Saves a Blob under a file name through a temporary link. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function filenameFrom(res: Response, fallback: string): string {
  const cd = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

export function ResultsPage({ examId }: { examId: string }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const exam = useAsync(() => api.getExam(examId), [examId]);
  const results = useAsync(() => api.results(examId), [examId]);
  usePageTitle(`${t('results.title')} · ${exam.data?.title ?? ''}`);
  const [csvBusy, setCsvBusy] = useState(false);
  const [csvError, setCsvError] = useState<unknown>(null);

  const reload = results.reload;
  useEffect(() => {
    const h = setInterval(reload, 30_000);
    return () => clearInterval(h);
  }, [reload]);

  const download = async () => {
    setCsvBusy(true);
    setCsvError(null);
    try {
      const res = await api.resultsCsv(examId);
      const blob = await res.blob();
      const typed = blob.type ? blob : new Blob([blob], { type: 'text/csv;charset=utf-8' });
      saveBlob(typed, filenameFrom(res, `results-${examId}.csv`));
    } catch (err) {
      setCsvError(err);
    } finally {
      setCsvBusy(false);
    }
  };

  const items = results.data?.items ?? [];
  const versions = exam.data?.latest_version ?? 0;

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/exams">{t('nav.exams')}</Link> / <Link to={`/exams/${examId}`}>{exam.data?.title ?? '…'}</Link>
          </p>
          <h1>{t('results.title')}</h1>
        </div>
        <div className="head-actions">
          <Link to={`/exams/${examId}/invitations`} className="btn btn-small">
            {t('exams.invitations')}
          </Link>
          <button type="button" className="btn btn-small" onClick={results.reload}>
            {t('common.refresh')}
          </button>
          <button type="button" className="btn btn-small btn-primary" onClick={download} disabled={csvBusy}>
            {csvBusy ? t('common.working') : t('results.csv')}
          </button>
        </div>
      </div>
      <ErrorMessage error={csvError} />
      <ErrorMessage error={results.error} />
      {results.loading && !results.data ? <Loading /> : null}
      {!results.loading && items.length === 0 && !results.error ? <p className="muted">{t('results.none')}</p> : null}
      {items.length ? (
        <div className="card">
          <div className="table-wrap">
            <table className="results-table">
              <caption className="sr-only">{t('results.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invite.name')}</th>
                  <th scope="col">{t('invite.email')}</th>
                  <th scope="col">{t('invite.track')}</th>
                  <th scope="col">{t('invite.status')}</th>
                  <th scope="col" className="num">{t('results.auto')}</th>
                  <th scope="col" className="num">{t('results.manual')}</th>
                  <th scope="col" className="num">{t('results.score')}</th>
                  <th scope="col">{t('results.passed')}</th>
                  <th scope="col">{t('results.submitted')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.attempt_id || r.invitation_id} data-testid="result-row">
                    <th scope="row">{r.candidate_name}</th>
                    <td>{r.candidate_email}</td>
                    <td>{r.track || '—'}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="num">{formatScore(r.auto_score)}</td>
                    <td className="num">{formatScore(r.manual_score)}</td>
                    <td className="num" data-testid="result-score">
                      <strong>{formatScore(r.score)}</strong> / {formatScore(r.max_score)}
                    </td>
                    <td>{r.passed === null || r.passed === undefined ? '—' : r.passed ? t('results.yes') : t('results.no')}</td>
                    <td>
                      {formatDateTime(r.submitted_at, lang)}
                      {r.submitted_by ? <div className="muted small">{t(`results.by.${r.submitted_by === 'timeout' ? 'timeout' : 'candidate'}`)}</div> : null}
                    </td>
                    <td>
                      {r.attempt_id ? (
                        <Link to={`/attempts/${r.attempt_id}?exam=${encodeURIComponent(examId)}`} className="btn btn-small">
                          {t('results.detail')}
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}

      {versions > 0 ? (
        <div className="card">
          <h2>{t('results.versions')}</h2>
          <p className="muted small">{t('results.versionsHint')}</p>
          <ul className="inline-list">
            {Array.from({ length: versions }, (_, i) => versions - i).map((n) => (
              <li key={n}>
                <Link to={`/exams/${examId}/versions/${n}`} className="btn btn-small">
                  {t('exams.version', { n })}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
