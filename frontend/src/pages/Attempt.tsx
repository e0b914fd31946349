import { useMemo } from 'react';
import { useI18n, useStaff } from '../context';
import type { T } from '../context';
import { Link, useLocation } from '../lib/router';
import type { AttemptQuestion, Question, Response as Answer } from '../lib/types';
import { ErrorMessage, Loading, StatusBadge, formatDateTime, formatScore, useAsync, usePageTitle } from '../components/ui';

/** A fill-in prompt for staff: "{{1}}" shown as a numbered gap. */
export function displayPrompt(prompt: string): string {
  return prompt.replace(/\{\{\s*(\d+)\s*\}\}/g, ' ____($1) ');
}

/** A candidate's response, readable; option keys with their text when known. */
export function formatResponse(t: T, r: Answer | null | undefined, q?: Question): string {
  const opt = (k: string) => {
    const o = q?.options?.find((x) => x.key === k);
    return o ? `${k}. ${o.text}` : k;
  };
  if (!r) return t('attempt.noAnswer');
  if ('value' in r) return r.value ? t('common.true') : t('common.false');
  if ('choice' in r) return opt(r.choice);
  if ('choices' in r) return r.choices.length ? r.choices.map(opt).join('; ') : t('attempt.noAnswer');
  if ('blanks' in r) return r.blanks.map((b, i) => `${i + 1}: ${b || '—'}`).join('   ');
  if ('text' in r) return r.text.trim() ? r.text : t('attempt.noAnswer');
  return JSON.stringify(r);
}

export function AttemptPage({ attemptId }: { attemptId: string }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const { search } = useLocation();
  const a = useAsync(() => api.attempt(attemptId), [attemptId]);
  const examId = search.get('exam') ?? a.data?.exam_id ?? null;
  const exam = useAsync(() => (examId ? api.getExam(examId) : Promise.resolve(null)), [examId]);
  usePageTitle(`${t('attempt.title')} · ${a.data?.candidate_name ?? ''}`);

  // Section titles come from the exam (ids are stable between draft and versions).
  const sectionTitles = useMemo(() => {
    const m = new Map<string, string>();
    exam.data?.sections.forEach((s, i) => s.id && m.set(s.id, s.title || t('editor.section', { n: i + 1 })));
    return m;
  }, [exam.data, t]);

  const draftQuestions = useMemo(() => {
    const m = new Map<string, Question>();
    exam.data?.sections.forEach((s) => s.questions.forEach((q) => q.id && m.set(q.id, q)));
    return m;
  }, [exam.data]);

  const sections = useMemo(() => {
    const out: { id: string; questions: AttemptQuestion[]; awarded: number | null; max: number }[] = [];
    for (const q of a.data?.questions ?? []) {
      let s = out.find((x) => x.id === q.section_id);
      if (!s) {
        s = { id: q.section_id, questions: [], awarded: 0, max: 0 };
        out.push(s);
      }
      s.questions.push(q);
      s.max += q.max_points ?? 0;
      s.awarded = s.awarded === null || q.points_awarded === null ? null : s.awarded + q.points_awarded;
    }
    return out;
  }, [a.data]);

  if (a.loading && !a.data) {
    return (
      <section className="page">
        <Loading />
      </section>
    );
  }
  if (a.error || !a.data) {
    return (
      <section className="page">
        <ErrorMessage error={a.error} />
      </section>
    );
  }
  const d = a.data;
  let qn = 0;
  return (
    <section className="page">
      <div className="page-head">
        <div>
          <p className="crumbs">
            {examId ? (
              <>
                <Link to={`/exams/${examId}/results`}>{t('results.title')}</Link> /{' '}
              </>
            ) : null}
            {t('attempt.title')}
          </p>
          <h1>{d.candidate_name}</h1>
          <p className="muted">
            {d.candidate_email}
            {d.track ? ` · ${t('invite.track')}: ${d.track}` : ''}
          </p>
        </div>
        <div className="score-big" aria-label={t('results.score')}>
          <span className="score-value" data-testid="attempt-score">{formatScore(d.score)}</span>
          <span className="score-max">/ {formatScore(d.max_score)}</span>
          <div>
            <StatusBadge status={d.status} />{' '}
            {d.passed === null || d.passed === undefined ? null : (
              <span className={`badge ${d.passed ? 'badge-graded' : 'badge-revoked'}`}>
                {d.passed ? t('attempt.passed') : t('attempt.failed')}
              </span>
            )}
          </div>
        </div>
      </div>

      <div className="card">
        <dl className="facts">
          <div>
            <dt>{t('attempt.started')}</dt>
            <dd>{formatDateTime(d.started_at, lang)}</dd>
          </div>
          <div>
            <dt>{t('attempt.deadline')}</dt>
            <dd>{formatDateTime(d.deadline, lang)}</dd>
          </div>
          <div>
            <dt>{t('results.submitted')}</dt>
            <dd>
              {formatDateTime(d.submitted_at, lang)}
              {d.submitted_by ? ` (${t(`results.by.${d.submitted_by === 'timeout' ? 'timeout' : 'candidate'}`)})` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('results.auto')}</dt>
            <dd>{formatScore(d.auto_score)}</dd>
          </div>
          <div>
            <dt>{t('results.manual')}</dt>
            <dd>{formatScore(d.manual_score)}</dd>
          </div>
        </dl>
      </div>

      <div className="card">
        <h2>{t('attempt.bySection')}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('attempt.section')}</th>
                <th scope="col" className="num">{t('results.score')}</th>
              </tr>
            </thead>
            <tbody>
              {sections.map((s, i) => (
                <tr key={s.id}>
                  <th scope="row">{sectionTitles.get(s.id) ?? t('editor.section', { n: i + 1 })}</th>
                  <td className="num">
                    {formatScore(s.awarded)} / {formatScore(s.max)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      {sections.map((s, i) => (
        <div className="card" key={s.id}>
          <h2>{sectionTitles.get(s.id) ?? t('editor.section', { n: i + 1 })}</h2>
          <ol className="answer-list">
            {s.questions.map((q) => {
              qn += 1;
              return (
                <li key={q.question_id} className="answer-item" value={qn}>
                  <div className="answer-head">
                    <p className="prompt">{q.type === 'fill_in' ? displayPrompt(q.prompt) : q.prompt}</p>
                    <span className={`points ${q.points_awarded === null ? 'pending' : q.points_awarded === q.max_points ? 'full' : q.points_awarded === 0 ? 'zero' : 'part'}`}>
                      {q.points_awarded === null ? t('attempt.awaiting') : formatScore(q.points_awarded)} / {formatScore(q.max_points)}
                    </span>
                  </div>
                  <p className="muted small">
                    {t(`qtype.${q.type}`)} ·{' '}
                    {q.graded_by ? t(`attempt.gradedBy.${q.graded_by}`) : t('attempt.notGraded')}
                  </p>
                  <div className="response">{formatResponse(t, q.response, draftQuestions.get(q.question_id))}</div>
                  {q.comment ? (
                    <p className="comment">
                      <strong>{t('review.comment')}:</strong> {q.comment}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </div>
      ))}

      <div className="card">
        <h2>{t('attempt.events')}</h2>
        {d.events.length === 0 ? (
          <p className="muted">{t('attempt.noEvents')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('attempt.eventType')}</th>
                  <th scope="col">{t('attempt.eventAt')}</th>
                  <th scope="col">{t('attempt.eventAddress')}</th>
                </tr>
              </thead>
              <tbody>
                {d.events.map((e, i) => (
                  <tr key={i}>
                    <td>{e.type}</td>
                    <td>{formatDateTime(e.at, lang)}</td>
                    <td>{e.client_address ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
