// The thank-you page of the candidate's page (Take.tsx) and its review of
// each question. A chunk of its own: nothing of it is needed before the
// first question can be answered, so a phone on a slow network does not
// wait for it (Take.tsx fetches it in the background once the exam shows).

import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../lang';
import type { T } from '../../lang';
import type { CandidateApi } from '../../lib/candidate-api';
import type { Attempt, CandidateQuestion, SubmitResponse } from '../../lib/types';
import { formatDateTime, formatScore } from '../../components/base';
import { addMessages } from '../../lib/i18n';
import { enDone, zhDone } from '../../lib/messages-done';

// Its texts come with it (both languages: they are few).
addMessages(enDone, zhDone);

export type DoneReason = 'submitted' | 'timeout' | 'already';

/**
 * The thank-you page. Its facts come from the server (GET /candidate/attempt
 * after submission), so a reload shows the same submit time; when the exam
 * shows explanations, each question's explanation and points follow.
 */
export function Done({
  t,
  api,
  reason,
  result,
  attempt: given,
}: {
  t: T;
  api: CandidateApi;
  reason: DoneReason;
  result?: SubmitResponse;
  attempt?: Attempt;
}) {
  const { lang } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  const [attempt, setAttempt] = useState<Attempt | undefined>(given);
  useEffect(() => ref.current?.focus(), []);
  useEffect(() => {
    if (given) return;
    let alive = true;
    api.get().then(
      (a) => {
        if (alive) setAttempt(a);
      },
      () => undefined, // the page says what it knows without it
    );
    return () => {
      alive = false;
    };
  }, [api, given]);
  const submittedAt = attempt?.submitted_at ?? result?.submitted_at;
  const questions = attempt ? attempt.sections.flatMap((s) => s.questions) : [];
  const outcome = questions.some((q) => q.explanation !== undefined || q.points_awarded !== undefined);
  return (
    <section className="page narrow" aria-labelledby="done-h">
      <div className="card center-card done-card" data-testid="done">
        <div className="done-mark" aria-hidden="true">
          ✓
        </div>
        <h1 id="done-h" tabIndex={-1} ref={ref}>
          {reason === 'timeout' ? t('take.timeUp') : reason === 'already' ? t('take.alreadySubmitted') : t('take.submittedTitle')}
        </h1>
        <p>{reason === 'timeout' ? t('take.timeUpBody') : t('take.submittedBody')}</p>
        {submittedAt ? (
          <p className="muted" data-testid="submitted-at">
            {t('take.submittedAt', { at: formatDateTime(submittedAt, lang) })}
          </p>
        ) : null}
        {result && typeof result.score === 'number' ? (
          <p className="score-line">{t('take.yourScore', { score: formatScore(result.score), max: formatScore(result.max_score) })}</p>
        ) : null}
        <p className="muted">{t('take.canClose')}</p>
      </div>
      {outcome ? <Outcome t={t} questions={questions} /> : null}
    </section>
  );
}

/** Each question's points and explanation, after submission. */
function Outcome({ t, questions }: { t: T; questions: CandidateQuestion[] }) {
  return (
    <section className="outcome" aria-labelledby="outcome-h" data-testid="outcome">
      <h2 id="outcome-h">{t('take.review')}</h2>
      <ol className="outcome-list">
        {questions.map((q, i) => {
          const got = q.points_awarded;
          const max = q.type === 'multiple_choice' ? undefined : q.points;
          return (
            <li key={q.id} className="card outcome-item" data-testid="outcome-item" data-full={String(q.full_marks ?? 'null')}>
              <p className="outcome-head">
                <span className="q-number">{t('take.question', { n: i + 1 })}</span>{' '}
                {got === null || got === undefined ? (
                  <span className="muted">{t('take.awaitingReview')}</span>
                ) : (
                  <>
                    <span className="outcome-points">
                      {max !== undefined
                        ? t('take.pointsOf', { got: formatScore(got), max: formatScore(max) })
                        : t('take.pointsGot', { got: formatScore(got) })}
                    </span>{' '}
                    <span className={q.full_marks ? 'outcome-full' : 'outcome-partial'}>
                      {q.full_marks ? t('take.fullMarks') : t('take.notFullMarks')}
                    </span>
                  </>
                )}
              </p>
              <p className="outcome-prompt">{q.type === 'fill_in' ? q.prompt.replace(/\{\{\s*\d+\s*\}\}/g, '____') : q.prompt}</p>
              {q.explanation ? (
                <div className="outcome-explanation">
                  <h3>{t('take.explanation')}</h3>
                  <p>{q.explanation}</p>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
