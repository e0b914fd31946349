import { useState } from 'react';
import { useI18n, useStaff } from '../../context';
import type { MyReview, ReviewMark } from '../../lib/types';
import { ErrorMessage, Notice, formatDateTime, formatScore, useLoad } from '../../components/ui';
import { ScoreForm } from './ScoreForm';

/**
 * The essays this reviewer scored (in the chosen exam, or all), newest
 * first, each with the score and comment given; one still open to revision
 * (its candidate has essays waiting) can be revised in place, with the
 * rubric points given before.
 */
export function MyScores({ examId, refresh, onChanged }: { examId: string; refresh: number; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const [items, setItems] = useState<MyReview[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // The first page, again whenever the exam changes or a score is given; a
  // response for an exam no longer chosen is dropped.
  const load = useLoad(
    () => api.myReviews(examId || undefined),
    [api, examId, refresh],
    (page) => {
      setItems(page.items);
      setNext(page.next_cursor);
      setError(null);
    },
    setError,
  );

  const more = async () => {
    if (!next) return;
    try {
      const page = await api.myReviews(examId || undefined, next);
      setItems((x) => [...x, ...page.items]);
      setNext(page.next_cursor);
    } catch (err) {
      setError(err);
    }
  };

  const revise = async (it: MyReview, m: ReviewMark) => {
    setBusy(true);
    setSaveError(null);
    setNotice(null);
    try {
      const r = await api.reviseScore(it.id, m);
      setEditing(null);
      setNotice(t('reviews.revised', { points: formatScore(r.points) }));
      await load();
      onChanged();
    } catch (err) {
      setSaveError(err);
      // Final meanwhile: show the list as it now is.
      load();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card my-scores" aria-labelledby="my-scores-h" data-testid="my-scores">
      <h2 id="my-scores-h">{t('reviews.mineTitle')}</h2>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorMessage error={error} />
      {!items.length && !error ? <p className="muted">{t('reviews.mineNone')}</p> : null}
      <ol className="my-score-list">
        {items.map((it) => (
          <li key={it.id} data-testid="my-score">
            <div className="my-score-head">
              <p className="my-score-prompt">{it.question_prompt}</p>
              <p>
                <strong>{t('reviews.yourScore', { points: formatScore(it.points), max: formatScore(it.max_points) })}</strong>{' '}
                <span className="muted small">
                  {t('reviews.scoredAt', { at: formatDateTime(it.scored_at, lang) })}
                  {it.revised_at ? ` · ${t('reviews.revisedAt', { at: formatDateTime(it.revised_at, lang) })}` : ''}
                </span>
              </p>
              {it.comment ? <p className="small">{it.comment}</p> : null}
              {it.can_revise ? (
                editing === it.id ? null : (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setEditing(it.id);
                      setSaveError(null);
                      setNotice(null);
                    }}
                  >
                    {t('reviews.revise')}
                  </button>
                )
              ) : (
                <p className="muted small">{t('reviews.final')}</p>
              )}
            </div>
            {editing === it.id ? (
              <div className="my-score-edit" role="group" aria-label={t('reviews.revising')}>
                <details>
                  <summary>{t('reviews.showAnswer')}</summary>
                  <div className="essay-text">{it.response.text}</div>
                </details>
                <ScoreForm
                  idPrefix={`rev-${it.id}-`}
                  rubric={it.rubric}
                  maxPoints={it.max_points}
                  initial={{ points: it.points, criteria: it.criteria, comment: it.comment }}
                  submitLabel={t('reviews.saveRevision')}
                  busy={busy}
                  error={saveError}
                  onSubmit={(m) => revise(it, m)}
                >
                  <button type="button" className="btn btn-ghost" onClick={() => setEditing(null)}>
                    {t('reviews.cancelRevision')}
                  </button>
                </ScoreForm>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      {next ? (
        <button type="button" className="btn btn-small" onClick={more}>
          {t('reviews.mineMore')}
        </button>
      ) : null}
    </section>
  );
}
