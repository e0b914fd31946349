import { useMemo, useState } from 'react';
import { useI18n, useStaff } from '../context';
import type { T } from '../context';
import { Link, useLocation } from '../lib/router';
import { groupProblems, problemSentences } from '../lib/problems';
import { trackLabel } from '../lib/examModel';
import { TagChart } from './attempt/TagChart';
import { attemptSections } from '../lib/report';
import { IntegrityEvents } from '../components/IntegrityEvents';
import type { AttemptQuestion, Question, Response as Answer } from '../lib/types';
import {
  ConfirmDialog,
  ErrorMessage,
  FieldErrors,
  Loading,
  Notice,
  NumberField,
  ScoreBig,
  TextArea,
  formatDateTime,
  formatScore,
  useAsync,
  usePageTitle,
  PageHeader,
  DataTable,
  Fact,
} from '../components/ui';

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


/** Beside an objective answer: each option marked right or wrong, or each
 * blank with its accepted answers, and the key when the answer missed. */
function KeyBlock({ q }: { q: AttemptQuestion }) {
  const { t } = useI18n();
  if (q.type === 'essay' || !q.key) return null;
  const full = q.points_awarded !== null && q.points_awarded === q.max_points;
  if (q.options?.length) {
    return (
      <ul className="option-list" aria-label={t('att2.key')} data-testid="options">
        {q.options.map((o) => {
          const mark = o.chosen ? (o.correct ? 'chosenRight' : 'chosenWrong') : o.correct ? 'missed' : null;
          return (
            <li key={o.key} data-testid="option" data-chosen={o.chosen} data-correct={o.correct}>
              <span aria-hidden="true">{o.chosen ? '☑' : '☐'}</span> {o.key}. {o.text}
              {mark ? (
                <span className={`opt-mark ${mark === 'chosenWrong' ? 'opt-wrong' : 'opt-right'}`}>
                  {mark === 'chosenRight' ? '✓ ' : mark === 'chosenWrong' ? '✗ ' : '← '}
                  {t(`att2.${mark}`)}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    );
  }
  if (q.blanks?.length) {
    return (
      <ul className="option-list" data-testid="blanks">
        {q.blanks.map((b, i) => {
          const accepted = b.accepted.join(' / ');
          return (
            <li key={i} className={b.correct ? 'opt-right' : 'opt-wrong'}>
              {b.correct === true
                ? `✓ ${t('att2.blankRight', { n: i + 1 })}`
                : b.correct === false
                  ? `✗ ${t('att2.blankWrong', { n: i + 1, accepted })}`
                  : `✗ ${t('att2.blankEmpty', { n: i + 1, accepted })}`}
            </li>
          );
        })}
      </ul>
    );
  }
  // true_false: the key, marked against the answer.
  const k = (q.key as { answer?: unknown }).answer;
  const keyText = k === true ? t('common.true') : k === false ? t('common.false') : String(k);
  return (
    <p className={full ? 'opt-right small' : 'opt-wrong small'} data-testid="key-line">
      {full ? '✓ ' : '✗ '}
      <strong>{t('att2.key')}:</strong> {keyText}
    </p>
  );
}

/** An admin's reopen of an attempt the server submitted at timeout. */
function ReopenAction({ attemptId, onDone }: { attemptId: string; onDone: (deadline: string) => void }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const [open, setOpen] = useState(false);
  const [minutes, setMinutes] = useState<number | undefined>(10);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const minutesBad = minutes === undefined || !Number.isInteger(minutes) || minutes < 1 || minutes > 10080;
  const reasonBad = !reason.trim();
  const submit = async () => {
    setTried(true);
    if (minutesBad || reasonBad) return;
    setBusy(true);
    setError(null);
    try {
      const d = await api.reopenAttempt(attemptId, { extra_seconds: (minutes ?? 0) * 60, reason: reason.trim() });
      setOpen(false);
      onDone(d.deadline);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
        {t('att2.reopen')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('att2.reopenTitle')}
        confirmLabel={t('att2.reopen')}
        cancelLabel={t('common.cancel')}
        onConfirm={submit}
        onCancel={() => setOpen(false)}
        busy={busy}
      >
        <p>{t('att2.reopenBody')}</p>
        <NumberField
          label={t('att2.reopenMinutes')}
          field="reopen_minutes"
          value={minutes}
          onChange={setMinutes}
          min={1}
          max={10080}
          step={1}
          errors={tried && minutesBad ? [t('att2.reopenMinutesBad')] : undefined}
        />
        <TextArea
          label={t('att2.reopenReason')}
          field="reopen_reason"
          hint={t('att2.reopenReasonHint')}
          value={reason}
          onChange={setReason}
          rows={2}
          required
          errors={tried && reasonBad ? [t('att2.reopenReasonRequired')] : groupProblems(lang, error).get('reason')}
        />
        <ErrorMessage error={error} />
        <FieldErrors id="reopen-problems" errors={problemSentences(lang, error, {}, ['reason'])} />
      </ConfirmDialog>
    </>
  );
}

export function AttemptPage({ attemptId }: { attemptId: string }) {
  const { t, lang } = useI18n();
  const { api, user } = useStaff();
  const { search } = useLocation();
  const a = useAsync(() => api.attempt(attemptId), [api, attemptId]);
  const [reopenedUntil, setReopenedUntil] = useState<string | null>(null);
  const examId = search.get('exam');
  const exam = useAsync(() => (examId ? api.getExam(examId) : Promise.resolve(null)), [api, examId]);
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

  const sections = useMemo(() => attemptSections(a.data?.questions ?? []), [a.data]);

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
  // Questions are numbered on across sections.
  const firstNumber = sections.map((_, i) => 1 + sections.slice(0, i).reduce((n, x) => n + x.questions.length, 0));
  return (
    <section className="page">
      <PageHeader
        crumbs={
          <>
            {examId ? (
              <>
                <Link to={`/exams/${examId}/results`}>{t('results.title')}</Link> /{' '}
              </>
            ) : null}
            {t('attempt.title')}
          </>
        }
        title={d.candidate_name}
        sub={
          <p className="muted">
            {d.candidate_email}
            {d.track ? ` · ${t('invite.track')}: ${exam.data ? trackLabel(exam.data, d.track) : d.track}` : ''}
          </p>
        }
        actions={
          <Link to={`/attempts/${d.id}/report`} className="btn btn-small" data-testid="report-link">
            {t('report.open')}
          </Link>
        }
        aside={
          <ScoreBig score={d.score} max={d.max_score} status={d.status} passed={d.passed} label={t('results.score')} valueTestId="attempt-score" />
        }
      />

      {reopenedUntil ? (
        <Notice kind="success">
          <span data-testid="reopened">{t('att2.reopened', { at: formatDateTime(reopenedUntil, lang) })}</span>
        </Notice>
      ) : null}
      {user?.role === 'admin' && d.submitted_by === 'timeout' && d.status !== 'in_progress' ? (
        <div className="button-row">
          <ReopenAction
            attemptId={d.id}
            onDone={(deadline) => {
              setReopenedUntil(deadline);
              a.reload();
            }}
          />
        </div>
      ) : null}

      <div className="card">
        <dl className="facts">
          <Fact label={t('attempt.started')}>{formatDateTime(d.started_at, lang)}</Fact>
          <Fact label={t('attempt.deadline')}>{formatDateTime(d.deadline, lang)}</Fact>
          <Fact label={t('results.submitted')}>
            {formatDateTime(d.submitted_at, lang)}
            {d.submitted_by ? ` (${t(`results.by.${d.submitted_by === 'timeout' ? 'timeout' : 'candidate'}`)})` : ''}
          </Fact>
          <Fact label={t('results.auto')}>{formatScore(d.auto_score)}</Fact>
          <Fact label={t('results.manual')}>{formatScore(d.manual_score)}</Fact>
        </dl>
      </div>

      <div className="card">
        <h2>{t('attempt.bySection')}</h2>
        <DataTable columns={[{ label: t('attempt.section') }, { label: t('results.score'), num: true }]}>
              {sections.map((s, i) => (
                <tr key={s.id}>
                  <th scope="row">{sectionTitles.get(s.id) ?? t('editor.section', { n: i + 1 })}</th>
                  <td className="num">
                    {formatScore(s.awarded)} / {formatScore(s.max)}
                  </td>
                </tr>
              ))}
        </DataTable>
      </div>

      <TagChart tags={d.tags} exam={exam.data} />

      {sections.map((s, i) => (
        <div className="card" key={s.id}>
          <h2>{sectionTitles.get(s.id) ?? t('editor.section', { n: i + 1 })}</h2>
          <ol className="answer-list">
            {s.questions.map((q, j) => {
              return (
                <li key={q.question_id} className="answer-item" value={firstNumber[i] + j}>
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
                  <KeyBlock q={q} />
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
        <p className="muted small">{t('att2.timelineHint')}</p>
        <IntegrityEvents events={d.events} />
      </div>
    </section>
  );
}
