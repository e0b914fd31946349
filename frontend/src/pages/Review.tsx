import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../context';
import { ApiError } from '../lib/http';
import { groupByField } from '../lib/fieldpath';
import type { ReviewItem, ReviewStats } from '../lib/types';
import {
  ErrorMessage,
  Notice,
  NumberField,
  SelectField,
  TextArea,
  formatScore,
  useAsync,
  usePageTitle,
} from '../components/ui';

export function ReviewPage() {
  const { t, lang } = useI18n();
  usePageTitle(t('review.title'));
  const { api } = useStaff();
  const exams = useAsync(() => api.reviewExams(), []);
  const [examId, setExamId] = useState('');
  const [stats, setStats] = useState<ReviewStats | null>(null);
  const [item, setItem] = useState<ReviewItem | null>(null);
  const [empty, setEmpty] = useState(false);
  const [points, setPoints] = useState<number | undefined>(undefined);
  const [comment, setComment] = useState('');
  const [met, setMet] = useState<boolean[]>([]);
  const [busy, setBusy] = useState<'claim' | 'score' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const loadStats = useCallback(async () => {
    try {
      setStats(await api.reviewStats(examId || undefined));
    } catch (err) {
      setError(err);
    }
  }, [api, examId]);

  useEffect(() => {
    loadStats();
  }, [loadStats]);

  const claim = async () => {
    setBusy('claim');
    setError(null);
    setEmpty(false);
    try {
      const it = await api.claim(examId || undefined);
      setItem(it);
      setEmpty(!it);
      setPoints(undefined);
      setComment('');
      setMet((it?.question.rubric ?? []).map(() => false));
      if (it) setTimeout(() => headingRef.current?.focus(), 0);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
      loadStats();
      exams.reload();
    }
  };

  const score = async (e: FormEvent) => {
    e.preventDefault();
    if (!item) return;
    setBusy('score');
    setError(null);
    setNotice(null);
    try {
      await api.score(item.id, { points: points ?? NaN, comment: comment.trim() });
      setNotice(t('review.scored', { points: formatScore(points ?? 0) }));
      setItem(null);
      setBusy(null);
      await claim(); // next
      return;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // The lease ran out or someone else finished it: this item is gone.
        setItem(null);
      }
      setError(err);
    } finally {
      setBusy(null);
      loadStats();
    }
  };

  const problems = error instanceof ApiError ? groupByField(error.details) : new Map<string, string[]>();
  const rubric = item?.question.rubric ?? [];
  const toggleMet = (i: number, v: boolean) => {
    const next = met.map((m, j) => (j === i ? v : m));
    setMet(next);
    setPoints(rubric.reduce((a, r, j) => a + (next[j] ? r.points : 0), 0));
  };

  const examOptions = [
    { value: '', label: t('review.allExams') },
    ...(exams.data?.items ?? []).map((x) => ({ value: x.exam_id, label: `${x.title} (${x.pending})` })),
  ];

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('review.title')}</h1>
      </div>

      <div className="card review-bar">
        <SelectField label={t('review.exam')} value={examId} onChange={setExamId} options={examOptions} className="inline-field" />
        <dl className="stats" aria-live="polite" data-testid="review-stats">
          <div>
            <dt>{t('review.pending')}</dt>
            <dd>{stats?.pending ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('review.claimed')}</dt>
            <dd>{stats?.claimed ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('review.done')}</dt>
            <dd>{stats?.done ?? '—'}</dd>
          </div>
        </dl>
        {!item ? (
          <button type="button" className="btn btn-primary" onClick={claim} disabled={busy !== null}>
            {busy === 'claim' ? t('common.working') : t('review.claim')}
          </button>
        ) : null}
      </div>

      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {error && !problems.size ? <ErrorMessage error={error} /> : null}
      {empty && !item ? <Notice>{t('review.nothing')}</Notice> : null}

      {item ? (
        <div className="review-item">
          <div className="card">
            <p className="muted small">
              {item.exam_title} · {t('review.lease', { at: new Date(item.lease_expires_at).toLocaleTimeString(lang) })}
            </p>
            <h2 tabIndex={-1} ref={headingRef}>
              {item.question.prompt}
            </h2>
            <p className="muted">{t('review.maxPoints', { n: formatScore(item.question.points) })}</p>
          </div>
          <div className="review-grid">
            <article className="card essay" aria-labelledby="essay-h">
              <h3 id="essay-h">{t('review.answer')}</h3>
              <div className="essay-text" data-testid="essay-text">
                {item.response.text}
              </div>
            </article>
            <aside className="card" aria-labelledby="ref-h">
              <h3 id="ref-h">{t('review.reference')}</h3>
              <div className="essay-text">{item.question.reference_answer || t('review.noReference')}</div>
              {rubric.length ? (
                <>
                  <h3>{t('editor.rubric')}</h3>
                  <ul className="rubric-check">
                    {rubric.map((r, i) => (
                      <li key={i}>
                        <input type="checkbox" id={`rub-${i}`} checked={!!met[i]} onChange={(e) => toggleMet(i, e.target.checked)} />
                        <label htmlFor={`rub-${i}`}>
                          {r.criterion} <span className="muted">({formatScore(r.points)})</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                  <p className="hint">{t('review.rubricHint')}</p>
                </>
              ) : null}
            </aside>
          </div>
          <form className="card score-form" onSubmit={score} noValidate>
            <NumberField
              label={t('review.points', { max: formatScore(item.question.points) })}
              field="points"
              value={points}
              onChange={setPoints}
              min={0}
              max={item.question.points}
              step={0.5}
              errors={problems.get('points')}
              required
            />
            <TextArea label={t('review.comment')} field="comment" value={comment} onChange={setComment} rows={3} errors={problems.get('comment')} />
            {error && problems.size ? <ErrorMessage error={error} /> : null}
            <div className="button-row">
              <button type="submit" className="btn btn-primary" disabled={busy !== null || points === undefined}>
                {busy === 'score' ? t('common.saving') : t('review.submit')}
              </button>
            </div>
          </form>
        </div>
      ) : null}
    </section>
  );
}
