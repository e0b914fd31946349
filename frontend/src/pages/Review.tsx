import { useRef, useState } from 'react';
import { ApiError } from '../lib/http';
import type { ReviewItem, ReviewMark, ReviewStats } from '../lib/types';
import { MyScores } from './review/MyScores';
import { ScoreForm } from './review/ScoreForm';
import { AgreementPanel, ModerationMarks } from './review/Moderation';
import {
  ErrorMessage,
  Notice,
  Checkbox,
  SelectField,
  formatScore,
  useAsync,
  useLoad,
  useStaffPage,
  PageHeader,
  Fact,
} from '../components/ui';

export function ReviewPage() {
  const { t, lang, api, user } = useStaffPage('review.title');
  const isAdmin = user?.role === 'admin';
  // Admins may claim essays whose two marks disagree instead.
  const [moderation, setModeration] = useState(false);
  const exams = useAsync(() => api.reviewExams(), [api]);
  const [examId, setExamId] = useState('');
  const [stats, setStats] = useState<ReviewStats | null>(null);
  const [item, setItem] = useState<ReviewItem | null>(null);
  const [empty, setEmpty] = useState(false);
  const [busy, setBusy] = useState<'claim' | 'score' | 'release' | null>(null);
  // Bumped after each score so that "my scored essays" reloads.
  const [scoredCount, setScoredCount] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The chosen exam's counts; a response for an exam no longer chosen is dropped.
  const loadStats = useLoad(() => api.reviewStats(examId || undefined), [api, examId], setStats, setError);

  const claim = async () => {
    setBusy('claim');
    setError(null);
    setEmpty(false);
    try {
      const it = await api.claim(examId || undefined, moderation);
      setItem(it);
      setEmpty(!it);
      if (it) setTimeout(() => headingRef.current?.focus(), 0);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
      loadStats();
      exams.reload();
    }
  };

  // What is done to the held essay starts alike: busy with it, the last
  // error and notice gone; without an essay held, nothing is done (null).
  const begin = (what: 'score' | 'release') => {
    if (!item) return null;
    setBusy(what);
    setError(null);
    setNotice(null);
    return item;
  };

  const score = async (m: ReviewMark) => {
    const held = begin('score');
    if (!held) return;
    try {
      await api.score(held.id, m);
      setNotice(t('review.scored', { points: formatScore(m.points) }));
      setItem(null);
      setScoredCount((n) => n + 1);
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

  // Give the held essay back: "skip" then takes the next one (the server
  // hands the skipped essay to others first), "give back" stops there.
  const release = async (thenClaim: boolean) => {
    const held = begin('release');
    if (!held) return;
    try {
      await api.releaseReview(held.id);
      setItem(null);
      setNotice(thenClaim ? t('reviews.skipped') : t('reviews.released'));
      if (thenClaim) {
        setBusy(null);
        await claim();
        return;
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'lease_lost') {
        setItem(null);
        setNotice(t('reviews.leaseLost'));
      } else {
        setError(err);
      }
    } finally {
      setBusy(null);
      loadStats();
      exams.reload();
    }
  };

  const examOptions = [
    { value: '', label: t('review.allExams') },
    ...(exams.data?.items ?? []).map((x) => ({ value: x.exam_id, label: `${x.title} (${x.pending})` })),
  ];

  return (
    <section className="page">
      <PageHeader title={t('review.title')} />

      <div className="card review-bar">
        <SelectField label={t('review.exam')} value={examId} onChange={setExamId} options={examOptions} className="inline-field" />
        <dl className="stats" aria-live="polite" data-testid="review-stats">
          <Fact label={t('review.pending')}>{stats?.pending ?? '—'}</Fact>
          <Fact label={t('review.claimed')}>{stats?.claimed ?? '—'}</Fact>
          <Fact label={t('review.done')}>{stats?.done ?? '—'}</Fact>
        </dl>
        {isAdmin && !item ? (
          <Checkbox label={t('moderation.toggle')} field="moderation" checked={moderation} onChange={setModeration} />
        ) : null}
        {!item ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setNotice(null);
              claim();
            }}
            disabled={busy !== null}
          >
            {busy === 'claim' ? t('common.working') : moderation ? t('moderation.claim') : t('review.claim')}
          </button>
        ) : null}
      </div>

      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {error && !item ? <ErrorMessage error={error} /> : null}
      {empty && !item ? <Notice>{moderation ? t('moderation.nothing') : t('review.nothing')}</Notice> : null}

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
            </aside>
          </div>
          <ModerationMarks item={item} />
          <ScoreForm
            key={item.id}
            idPrefix=""
            rubric={item.question.rubric ?? []}
            maxPoints={item.question.points}
            submitLabel={item.moderation ? t('moderation.submit') : t('review.submit')}
            busy={busy !== null}
            error={error}
            onSubmit={score}
          >
            <button type="button" className="btn" onClick={() => release(true)} disabled={busy !== null}>
              {t('reviews.skip')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => release(false)} disabled={busy !== null}>
              {t('reviews.release')}
            </button>
          </ScoreForm>
        </div>
      ) : null}

      {examId ? <AgreementPanel examId={examId} refresh={scoredCount} /> : null}
      <MyScores examId={examId} refresh={scoredCount} onChanged={loadStats} />
    </section>
  );
}
