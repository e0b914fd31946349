import { useMemo } from 'react';
import { useI18n, useStaff } from '../context';
import { Link } from '../lib/router';
import { trackLabel } from '../lib/examModel';
import { attemptSections, cohortShare, percent, tagRows } from '../lib/report';
import type { QuestionStatistics } from '../lib/types';
import { ErrorMessage, Loading, ScoreBig, formatDateTime, formatScore, useAsync, usePageTitle, DataTable, Fact } from '../components/ui';
import { IntegrityEvents } from '../components/IntegrityEvents';

/** Two thin bars, the candidate's share above the cohort's (print-friendly, no chart library). */
function Bars({ mine, cohort }: { mine: number | null; cohort: number | null }) {
  const w = (v: number | null) => `${Math.max(0, Math.min(1, v ?? 0)) * 100}%`;
  return (
    <div className="report-bars" aria-hidden="true">
      <span className="report-bar mine" style={{ width: w(mine) }} />
      <span className="report-bar cohort" style={{ width: w(cohort) }} />
    </div>
  );
}

/** A row of ShareTable: what it is about, the candidate's points of the most, and both shares. */
interface ShareRow {
  key: string;
  name: string;
  awarded: number | null;
  max: number;
  mine: number | null;
  cohort: number | null;
}

/** Sections or tags: the candidate's score and share of it beside the cohort's, with their bars. */
function ShareTable({ testId, first, rows }: { testId: string; first: string; rows: ShareRow[] }) {
  const { t } = useI18n();
  return (
    <DataTable
      testId={testId}
      columns={[
        { label: first },
        { label: t('results.score'), num: true },
        { label: t('report.share'), num: true },
        { label: t('report.cohortShare'), num: true },
        { label: t('report.compare'), srOnly: true },
      ]}
    >
      {rows.map((r) => (
        <tr key={r.key}>
          <th scope="row">{r.name}</th>
          <td className="num">
            {formatScore(r.awarded)} / {formatScore(r.max)}
          </td>
          <td className="num">{percent(r.mine)}</td>
          <td className="num">{percent(r.cohort)}</td>
          <td className="report-bars-cell">
            <Bars mine={r.mine} cohort={r.cohort} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/**
 * A candidate report for one attempt, laid out for A4 paper: the score
 * against the pass mark, sections and tags beside the cohort (the version's
 * graded attempts of the same track) and the integrity events — what a
 * hiring manager takes into the interview.
 */
export function ReportPage({ attemptId }: { attemptId: string }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const a = useAsync(() => api.attempt(attemptId), [api, attemptId]);
  const d = a.data;
  const version = useAsync(() => (d ? api.getVersion(d.exam_id, d.exam_version) : Promise.resolve(null)), [api, d]);
  // The cohort: the version's graded attempts of the candidate's track.
  const stats = useAsync(() => (d ? api.statistics(d.exam_id, d.exam_version, d.track || undefined) : Promise.resolve(null)), [api, d]);
  usePageTitle(`${t('report.title')} · ${d?.candidate_name ?? ''}`);

  const byQuestion = useMemo(() => {
    const m = new Map<string, QuestionStatistics>();
    stats.data?.questions.forEach((q) => m.set(q.question_id, q));
    return m;
  }, [stats.data]);
  const sections = useMemo(() => attemptSections(d?.questions ?? []), [d]);
  const tags = useMemo(() => tagRows(d?.questions ?? [], byQuestion), [d, byQuestion]);

  if (a.loading && !d) {
    return (
      <section className="page">
        <Loading />
      </section>
    );
  }
  if (a.error || !d) {
    return (
      <section className="page">
        <ErrorMessage error={a.error} />
      </section>
    );
  }
  const doc = version.data?.exam;
  const titles = new Map<string, string>();
  doc?.sections.forEach((s, i) => s.id && titles.set(s.id, s.title || t('editor.section', { n: i + 1 })));
  const pass = doc?.pass_score ?? null;
  const st = stats.data;
  const share = (awarded: number | null, max: number) => (awarded === null || max <= 0 ? null : awarded / max);

  return (
    <article className="page report" data-testid="report">
      <nav className="crumbs no-print">
        <Link to={`/exams/${d.exam_id}/results`}>{t('results.title')}</Link> /{' '}
        <Link to={`/attempts/${d.id}?exam=${encodeURIComponent(d.exam_id)}`}>{t('attempt.title')}</Link> / {t('report.title')}
      </nav>
      <div className="button-row no-print">
        <button type="button" className="btn btn-primary" onClick={() => window.print()} data-testid="print">
          {t('report.print')}
        </button>
        <span className="muted small">{t('report.printHint')}</span>
      </div>

      <header className="report-head">
        <div>
          <p className="muted small">
            {t('report.title')} · {doc?.title ?? '…'} · {t('exams.version', { n: d.exam_version })}
          </p>
          <h1 data-testid="report-name">{d.candidate_name}</h1>
          <p className="muted">
            {d.candidate_email}
            {d.track ? ` · ${t('invite.track')}: ${doc ? trackLabel(doc, d.track) : d.track}` : ''}
            {' · '}
            {t('results.submitted')}: {formatDateTime(d.submitted_at, lang)}
          </p>
        </div>
        <ScoreBig score={d.score} max={d.max_score} status={d.status} passed={d.passed} testId="report-score" />
      </header>

      <dl className="facts card" data-testid="report-facts">
        <Fact label={t('report.passMark')} testId="report-pass">{pass === null ? '—' : `${formatScore(pass)} / ${formatScore(d.max_score)}`}</Fact>
        <Fact label={t('report.cohortMean')} testId="report-cohort-mean">{st?.score.mean == null ? '—' : st.score.mean.toFixed(1)}</Fact>
        <Fact label={t('report.cohortMedian')}>{st?.score.median == null ? '—' : st.score.median.toFixed(1)}</Fact>
        <Fact label={t('report.cohort')}>{st ? t('report.cohortSize', { n: st.attempts }) : '…'}</Fact>
      </dl>
      <ErrorMessage error={stats.error ?? version.error} />

      <section className="card report-block">
        <h2>{t('attempt.bySection')}</h2>
        <ShareTable
          testId="report-sections"
          first={t('attempt.section')}
          rows={sections.map((s, i) => ({
            key: s.id,
            name: titles.get(s.id) ?? t('editor.section', { n: i + 1 }),
            awarded: s.awarded,
            max: s.max,
            mine: share(s.awarded, s.max),
            cohort: cohortShare(
              s.questions.map((q) => q.question_id),
              byQuestion,
            ),
          }))}
        />
      </section>

      <section className="card report-block">
        <h2>{t('report.tags')}</h2>
        {tags.length === 0 ? (
          <p className="muted">{t('report.noTags')}</p>
        ) : (
          <ShareTable
            testId="report-tags"
            first={t('report.tag')}
            rows={tags.map((r) => ({ key: r.tag, name: r.tag, awarded: r.awarded, max: r.max, mine: r.share, cohort: r.cohort }))}
          />
        )}
        <p className="muted small">{t('report.legend')}</p>
      </section>

      <section className="card report-block" data-testid="report-events">
        <h2>{t('attempt.events')}</h2>
        <IntegrityEvents events={d.events} />
      </section>
      <p className="muted small">{t('report.generated', { at: formatDateTime(new Date().toISOString(), lang) })}</p>
    </article>
  );
}
