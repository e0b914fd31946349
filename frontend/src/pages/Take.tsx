import { Suspense, lazy, useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useI18n } from '../lang';
import type { T } from '../lang';
import { CandidateAuth, candidateApi } from '../lib/candidate-api';
import type { CandidateApi } from '../lib/candidate-api';
import { AutosaveQueue, closingCode } from '../lib/autosave';
import type { SaveState } from '../lib/autosave';
import { Countdown, resyncEvery } from '../lib/countdown';
import { ApiError, browserStore } from '../lib/http';
import { FlagStore } from '../lib/flags';
import { PresenceTracker, watchPresence, wrapTabFocus } from '../lib/presence';
import { blanksOf, isAnswered, questionMark, splitPrompt } from '../lib/take';
import type { QuestionMark } from '../lib/take';
import type { Attempt, CandidateQuestion, CandidateSession, Response, SubmitResponse } from '../lib/types';
import type { DoneReason } from './take/Done';
import './take.css';
import { ConfirmDialog, ErrorMessage, LangSwitch, Loading, errorText, formatScore, useModal, usePageTitle } from '../components/base';

/** A clock that never jumps when the device's time is changed. */
const mono = () => performance.timeOrigin + performance.now();

// The thank-you page, loaded on first use (and fetched early, see ExamView).
const loadDone = () => import('./take/Done');
const Done = lazy(() => loadDone().then((m) => ({ default: m.Done })));

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'welcome'; session: CandidateSession }
  | { kind: 'exam'; session: CandidateSession | null; attempt: Attempt; receivedAt: number }
  | { kind: 'done'; reason: DoneReason; session: CandidateSession | null; result?: SubmitResponse; attempt?: Attempt };

export function TakePage({ token }: { token: string }) {
  const { t } = useI18n();
  const api = useMemo(() => candidateApi(new CandidateAuth(token, browserStore('session'))), [token]);
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  const title =
    view.kind === 'welcome' || view.kind === 'exam' || view.kind === 'done' ? (view.session?.exam.title ?? '') : '';
  usePageTitle(title || t('take.pageTitle'));

  const showAttempt = useCallback((session: CandidateSession | null, a: Attempt, receivedAt: number) => {
    if (a.status === 'in_progress') setView({ kind: 'exam', session, attempt: a, receivedAt });
    else setView({ kind: 'done', reason: 'already', session, attempt: a });
  }, []);

  useEffect(() => {
    let alive = true;
    (async () => {
      const stored = api.auth.stored();
      let session: CandidateSession;
      try {
        session = stored ?? (await api.open());
      } catch (err) {
        if (alive) setView({ kind: 'error', error: err });
        return;
      }
      if (!alive) return;
      if (!stored && session.invitation.status === 'pending') {
        setView({ kind: 'welcome', session });
        return;
      }
      if (!stored && session.invitation.status !== 'in_progress') {
        setView({ kind: 'done', reason: 'already', session });
        return;
      }
      try {
        const a = await api.get();
        if (alive) showAttempt(session, a, mono());
      } catch (err) {
        if (!alive) return;
        if (closingCode(err)) setView({ kind: 'done', reason: 'already', session });
        else if (err instanceof ApiError && err.status === 404) setView({ kind: 'welcome', session });
        else setView({ kind: 'error', error: err });
      }
    })();
    return () => {
      alive = false;
    };
  }, [api, showAttempt]);

  const start = async (session: CandidateSession) => {
    setStarting(true);
    setStartError(null);
    try {
      const a = await api.start();
      showAttempt(session, a, mono());
    } catch (err) {
      if (closingCode(err)) setView({ kind: 'done', reason: 'already', session });
      else setStartError(err);
    } finally {
      setStarting(false);
    }
  };

  let body: ReactNode;
  switch (view.kind) {
    case 'loading':
      body = (
        <div className="page narrow">
          <Loading />
        </div>
      );
      break;
    case 'error':
      body = <LinkProblem error={view.error} />;
      break;
    case 'welcome':
      body = <Welcome t={t} session={view.session} onStart={() => start(view.session)} busy={starting} error={startError} />;
      break;
    case 'exam':
      body = (
        <ExamView
          api={api}
          attempt={view.attempt}
          receivedAt={view.receivedAt}
          onDone={(reason, result) => setView({ kind: 'done', reason, session: view.session, result })}
        />
      );
      break;
    case 'done':
      body = (
        <Suspense
          fallback={
            <div className="page narrow">
              <Loading />
            </div>
          }
        >
          <Done t={t} api={api} reason={view.reason} result={view.result} attempt={view.attempt} />
        </Suspense>
      );
      break;
  }

  return (
    <div className="app take">
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <header className="topbar topbar-take">
        <div className="topbar-inner">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true">
              ✓
            </span>{' '}
            {title || 'examd'}
          </span>
          <div className="topbar-end">
            <LangSwitch />
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {body}
      </main>
    </div>
  );
}

function LinkProblem({ error }: { error: unknown }) {
  const { t } = useI18n();
  let msg = errorText(t, error);
  if (error instanceof ApiError) {
    if (error.code === 'invalid_invitation' || error.status === 401 || error.status === 404) msg = t('take.invalidLink');
    else if (error.code === 'not_open') msg = t('take.notOpen');
    else if (error.code === 'window_closed') msg = t('take.windowClosed');
  }
  return (
    <section className="page narrow">
      <div className="card center-card">
        <h1>{t('take.cannotOpen')}</h1>
        <p role="alert">{msg}</p>
      </div>
    </section>
  );
}

function Welcome({
  t,
  session,
  onStart,
  busy,
  error,
}: {
  t: T;
  session: CandidateSession;
  onStart: () => void;
  busy: boolean;
  error: unknown;
}) {
  const e = session.exam;
  const minutes = Math.round((e.time_limit_seconds / 60) * 10) / 10;
  const resuming = session.invitation.status === 'in_progress';
  return (
    <section className="page narrow welcome" aria-labelledby="welcome-h">
      <div className="card">
        <p className="muted">{t('take.hello', { name: session.invitation.candidate_name })}</p>
        <h1 id="welcome-h">{e.title}</h1>
        {e.description ? <p className="lead">{e.description}</p> : null}
        <dl className="facts facts-big">
          <div>
            <dt>{t('take.timeLimit')}</dt>
            <dd data-testid="welcome-time">{t('take.minutes', { n: minutes })}</dd>
          </div>
          <div>
            <dt>{t('take.questionCount')}</dt>
            <dd>{e.question_count}</dd>
          </div>
          <div>
            <dt>{t('take.maxScore')}</dt>
            <dd>{formatScore(e.max_score)}</dd>
          </div>
        </dl>
        <h2>{t('take.rules')}</h2>
        <ul className="rules">
          <li>{t('take.rule1')}</li>
          <li>{t('take.rule2')}</li>
          <li>{t('take.rule3')}</li>
          <li>{t('take.rule4')}</li>
          <li>{t('take.rule5')}</li>
        </ul>
        <ErrorMessage error={error} />
        <button type="button" className="btn btn-primary btn-large" onClick={onStart} disabled={busy}>
          {busy ? t('common.working') : resuming ? t('take.resume') : t('take.start')}
        </button>
      </div>
    </section>
  );
}

// ---- the exam itself ----

function ExamView({
  api,
  attempt,
  receivedAt,
  onDone,
}: {
  api: CandidateApi;
  attempt: Attempt;
  receivedAt: number;
  onDone: (reason: DoneReason, result?: SubmitResponse) => void;
}) {
  const { t } = useI18n();
  // The newest onDone, for the callbacks below that outlive a render.
  const onDoneRef = useRef(onDone);
  useLayoutEffect(() => {
    onDoneRef.current = onDone;
  });
  const finishing = useRef(false);
  const [, force] = useReducer((x: number) => x + 1, 0);
  const [confirm, setConfirm] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [timeUp, setTimeUp] = useState(false);
  const askSubmit = () => {
    loadDone().then(
      () => setConfirm(true),
      () => setConfirm(true),
    );
  };
  // The thank-you page's chunk (with the submit confirmation's texts) comes
  // while the candidate answers, so it is there at the submit even should
  // the network be gone by then; the submit button waits for it.
  useEffect(() => {
    const id = setTimeout(() => void loadDone().catch(() => undefined), 1500);
    return () => clearTimeout(id);
  }, []);

  const countdown = useMemo(() => new Countdown(attempt.deadline, attempt.server_time, receivedAt), [attempt, receivedAt]);
  const [now, setNow] = useState(mono());

  const queue = useMemo(() => {
    const q = new AutosaveQueue<Response>({
      save: async (qid, r, seq) => {
        const res = await api.save(qid, r, seq);
        // Every save answers with the deadline as it stands now.
        if (res?.deadline) countdown.sync(res.deadline, null, mono());
        return res;
      },
    });
    const init: Record<string, { response: Response; seq: number }> = {};
    for (const [qid, r] of Object.entries(attempt.responses ?? {})) init[qid] = { response: r.response, seq: r.seq };
    q.init(init);
    return q;
  }, [api, attempt, countdown]);

  useEffect(() => queue.subscribe(force), [queue]);
  // The server refused a save for good (409): the attempt is over, unless
  // this page is already finishing it.
  useEffect(
    () =>
      queue.subscribe(() => {
        const code = queue.closed;
        if (!code || finishing.current) return;
        finishing.current = true;
        onDoneRef.current(code === 'deadline_passed' ? 'timeout' : 'already');
      }),
    [queue],
  );
  useEffect(() => () => queue.dispose(), [queue]);

  const questions = useMemo(() => attempt.sections.flatMap((s) => s.questions), [attempt]);
  const answered = questions.filter((q) => isAnswered(q, queue.value(q.id))).length;
  const saveState = queue.state();
  const saveCounts = queue.counts();
  const remaining = countdown.remaining(now);

  // Time is up: send what is pending (the grace period allows it), then submit.
  const finishOnTime = useCallback(async () => {
    if (finishing.current) return;
    finishing.current = true;
    setTimeUp(true);
    setConfirm(false);
    await queue.flushAll(4000);
    let result: SubmitResponse | undefined;
    try {
      result = await api.submit();
    } catch {
      // The server submits by itself after the deadline; nothing to add.
    }
    queue.close('deadline_passed');
    onDoneRef.current('timeout', result);
  }, [api, queue]);

  useEffect(() => {
    const h = setInterval(() => setNow(mono()), 250);
    return () => clearInterval(h);
  }, []);

  // The deadline lives on the server and may move (an accommodation): ask
  // for it every 20 s. An attempt no longer in progress (submitted from
  // another tab, or by the server) ends this page.
  useEffect(
    () =>
      resyncEvery(
        () => api.get(),
        (a, rx) => {
          if (finishing.current) return;
          if (a.status !== 'in_progress') {
            finishing.current = true;
            queue.close('attempt_submitted');
            onDoneRef.current('already');
            return;
          }
          countdown.sync(a.deadline, a.server_time, rx);
          setNow(mono());
        },
        undefined,
        mono,
      ),
    [api, countdown, queue],
  );
  useEffect(() => {
    if (remaining <= 0) void finishOnTime();
  }, [remaining, finishOnTime]);

  // Integrity events, kept for the recruiter. Best effort.
  useEffect(() => {
    const send = (type: 'blur' | 'focus' | 'paste' | 'copy' | 'fullscreen_exit') => {
      if (!finishing.current) api.event(type).catch(() => undefined);
    };
    // Leaving is recorded only when the page is hidden or the window has
    // really lost focus, not when focus moves inside the page.
    const presence = new PresenceTracker(send);
    const stopWatching = watchPresence(window, presence);
    const stopWrapping = wrapTabFocus(document);
    const onPaste = () => send('paste');
    const onCopy = () => send('copy');
    let wasFull = !!document.fullscreenElement;
    const onFs = () => {
      const full = !!document.fullscreenElement;
      if (wasFull && !full) send('fullscreen_exit');
      wasFull = full;
    };
    const onOnline = () => queue.retryNow();
    document.addEventListener('paste', onPaste);
    document.addEventListener('copy', onCopy);
    document.addEventListener('fullscreenchange', onFs);
    window.addEventListener('online', onOnline);
    return () => {
      stopWatching();
      stopWrapping();
      document.removeEventListener('paste', onPaste);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('fullscreenchange', onFs);
      window.removeEventListener('online', onOnline);
    };
  }, [api, queue]);

  // Leaving with unsaved answers: ask first.
  useEffect(() => {
    const h = (e: BeforeUnloadEvent) => {
      const s = queue.state();
      if (s === 'saving' || s === 'offline') {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', h);
    return () => window.removeEventListener('beforeunload', h);
  }, [queue]);

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(null);
    const saved = await queue.flushAll(10_000);
    if (!saved && !queue.closed) {
      setSubmitting(false);
      setSubmitError(t('take.notAllSaved'));
      return;
    }
    try {
      const r = await api.submit();
      finishing.current = true;
      queue.close('attempt_submitted');
      onDoneRef.current('submitted', r);
    } catch (err) {
      const code = closingCode(err);
      if (code) {
        finishing.current = true;
        onDoneRef.current(code === 'deadline_passed' ? 'timeout' : 'already');
      } else {
        setSubmitError(errorText(t, err));
        setSubmitting(false);
      }
    }
  };

  const change = (q: CandidateQuestion, r: Response, debounce = false) => {
    queue.change(q.id, r, { debounce });
  };

  // Flags ("come back to this"), kept in this browser per attempt.
  const flags = useMemo(() => new FlagStore(browserStore('local'), attempt.id), [attempt.id]);
  const toggleFlag = (qid: string) => {
    flags.toggle(qid);
    force();
  };

  const items: SheetItem[] = questions.map((q, i) => ({
    id: q.id,
    number: i + 1,
    mark: questionMark(isAnswered(q, queue.value(q.id)), queue.questionState(q.id)),
    flagged: flags.has(q.id),
  }));
  const unansweredItems = items.filter((x) => x.mark === 'unanswered');
  const flaggedItems = items.filter((x) => x.flagged);
  const failedItems = items.filter((x) => x.mark === 'failed');

  const [sheetOpen, setSheetOpen] = useState(false);
  // Goes to a question: closes whatever dialog is open, then scrolls to the
  // question and puts focus on its first control.
  const jumpTo = (qid: string) => {
    setSheetOpen(false);
    setConfirm(false);
    setSubmitError(null);
    // Close the modal at once: focus cannot move behind an open modal dialog.
    for (const d of Array.from(document.querySelectorAll<HTMLDialogElement>('dialog[open]'))) d.close();
    requestAnimationFrame(() => {
      const el = document.getElementById(`q-${qid}`);
      if (!el) return;
      el.scrollIntoView({ block: 'start' });
      const target = el.querySelector<HTMLElement>('input:checked, input:not([type=radio]), input, textarea') ?? el;
      target.focus({ preventScroll: true });
    });
  };

  const low = remaining <= 5 * 60_000;
  const critical = remaining <= 60_000;

  return (
    <div className="exam">
      <div className="exam-bar" role="region" aria-label={t('take.status')}>
        <div className="exam-bar-inner" data-testid="exam-bar">
          <div className={`timer ${low ? 'low' : ''} ${critical ? 'critical' : ''}`}>
            <span className="timer-label">{t('take.remaining')}</span>
            <span className="timer-value" role="timer" aria-live="off" aria-label={t('take.remaining')} data-testid="timer">
              {countdown.label(now)}
            </span>
          </div>
          <div className="progress">
            <span className="wide-only" data-testid="answered">
              {t('take.answered', { n: answered, total: questions.length })}
            </span>
            <span className="narrow-only">
              <span aria-hidden="true">{t('take.progressShort', { n: answered, total: questions.length })}</span>
              <span className="sr-only">{t('take.answered', { n: answered, total: questions.length })}</span>
            </span>
          </div>
          <SaveIndicator t={t} state={timeUp ? 'closed' : saveState} counts={saveCounts} />
          <button
            type="button"
            className="btn sheet-button"
            aria-haspopup="dialog"
            aria-expanded={sheetOpen}
            data-testid="sheet-button"
            onClick={() => setSheetOpen(true)}
          >
            {t('take.sheet')}
          </button>
          <button type="button" className="btn btn-primary" onClick={askSubmit} disabled={submitting || timeUp}>
            {t('take.submit')}
          </button>
        </div>
        <TimeAnnouncer t={t} remaining={remaining} />
      </div>

      <AnswerSheet t={t} open={sheetOpen} items={items} onClose={() => setSheetOpen(false)} onJump={jumpTo} />

      {timeUp ? (
        <div className="page narrow">
          <div className="alert alert-warn" role="alert">
            {t('take.timeUpSubmitting')}
          </div>
        </div>
      ) : null}

      <div className="page exam-page">
        {attempt.sections.map((s) => (
          <section key={s.id} className="exam-section" aria-labelledby={`sec-${s.id}`}>
            <h2 id={`sec-${s.id}`}>{s.title}</h2>
            {s.instructions ? <p className="instructions">{s.instructions}</p> : null}
            {s.questions.map((q) => {
              const item = items[questions.indexOf(q)];
              return (
                <QuestionCard
                  key={q.id}
                  t={t}
                  q={q}
                  number={item.number}
                  value={queue.value(q.id)}
                  mark={item.mark}
                  flagged={item.flagged}
                  onFlag={() => toggleFlag(q.id)}
                  error={queue.error(q.id)}
                  disabled={timeUp || !!queue.closed}
                  onChange={(r, debounce) => change(q, r, debounce)}
                />
              );
            })}
          </section>
        ))}
        <div className="submit-row">
          <p className="muted">{t('take.answered', { n: answered, total: questions.length })}</p>
          <button type="button" className="btn btn-primary btn-large" onClick={askSubmit} disabled={submitting || timeUp}>
            {t('take.submit')}
          </button>
        </div>
      </div>

      <ConfirmDialog
        open={confirm}
        title={t('take.confirmTitle')}
        confirmLabel={submitting ? t('common.working') : t('take.confirmSubmit')}
        cancelLabel={t('take.keepWorking')}
        onConfirm={submit}
        onCancel={() => {
          setConfirm(false);
          setSubmitError(null);
        }}
        busy={submitting}
      >
        <p>{t('take.confirmBody', { n: answered, total: questions.length })}</p>
        {answered < questions.length ? (
          <p className="warn-text">{t('take.unanswered', { n: questions.length - answered })}</p>
        ) : null}
        <JumpList t={t} label={t('take.unansweredList')} items={unansweredItems} onJump={jumpTo} testId="confirm-unanswered" />
        <JumpList t={t} label={t('take.failedList')} items={failedItems} onJump={jumpTo} testId="confirm-failed" />
        <JumpList t={t} label={t('take.flaggedList')} items={flaggedItems} onJump={jumpTo} testId="confirm-flagged" />
        {submitError ? (
          <p className="error-text" role="alert">
            {submitError}
          </p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}

interface SheetItem {
  id: string;
  number: number;
  mark: QuestionMark;
  flagged: boolean;
}

function markText(t: T, mark: QuestionMark): string {
  return t(`take.mark.${mark}`);
}

/** A question number that jumps to its question. */
function JumpLink({ t, item, onJump, className }: { t: T; item: SheetItem; onJump: (qid: string) => void; className?: string }) {
  const state = markText(t, item.mark) + (item.flagged ? ` · ${t('take.mark.flagged')}` : '');
  return (
    <a
      href={`#q-${item.id}`}
      className={className}
      aria-label={t('take.sheetItem', { n: item.number, state })}
      title={state}
      data-mark={item.mark}
      data-flagged={item.flagged ? 'true' : 'false'}
      onClick={(e) => {
        e.preventDefault();
        onJump(item.id);
      }}
    >
      {item.number}
    </a>
  );
}

/** Questions of one kind (unanswered, flagged…) in the submit dialog, as links. */
function JumpList({
  t,
  label,
  items,
  onJump,
  testId,
}: {
  t: T;
  label: string;
  items: SheetItem[];
  onJump: (qid: string) => void;
  testId: string;
}) {
  if (items.length === 0) return null;
  return (
    <div className="jump-list" data-testid={testId}>
      <span className="jump-label">{label}</span>
      <ul>
        {items.map((x) => (
          <li key={x.id}>
            <JumpLink t={t} item={x} onJump={onJump} className={`sheet-item sheet-${x.mark}${x.flagged ? ' sheet-flagged' : ''}`} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The answer sheet (答题卡): every question's number with its state, each a
 * link to the question; a modal drawer, so it works the same on a phone.
 */
function AnswerSheet({
  t,
  open,
  items,
  onClose,
  onJump,
}: {
  t: T;
  open: boolean;
  items: SheetItem[];
  onClose: () => void;
  onJump: (qid: string) => void;
}) {
  const ref = useModal(open);
  const marks: QuestionMark[] = ['saved', 'waiting', 'failed', 'unanswered'];
  return (
    <dialog
      ref={ref}
      className="sheet-drawer"
      aria-labelledby="sheet-h"
      data-testid="answer-sheet"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose(); // the backdrop
      }}
    >
      <div className="sheet-inner">
        <div className="sheet-head">
          <h2 id="sheet-h">{t('take.sheet')}</h2>
          <button type="button" className="btn" onClick={onClose}>
            {t('take.sheetClose')}
          </button>
        </div>
        <p className="muted small">{t('take.sheetLegend')}</p>
        <ol className="sheet-grid">
          {items.map((x) => (
            <li key={x.id}>
              <JumpLink
                t={t}
                item={x}
                onJump={onJump}
                className={`sheet-item sheet-${x.mark}${x.flagged ? ' sheet-flagged' : ''}`}
              />
            </li>
          ))}
        </ol>
        <h3 className="sheet-legend-h">{t('take.sheetStates')}</h3>
        <ul className="sheet-legend">
          {marks.map((m) => (
            <li key={m}>
              <span className={`sheet-swatch sheet-${m}`} aria-hidden="true" /> {markText(t, m)}
            </li>
          ))}
          <li>
            <span className="sheet-swatch sheet-unanswered sheet-flagged" aria-hidden="true" /> {t('take.mark.flagged')}
          </li>
        </ul>
      </div>
    </dialog>
  );
}

function SaveIndicator({ t, state, counts }: { t: T; state: SaveState; counts: { waiting: number; failed: number } }) {
  const parts: string[] = [];
  const short: string[] = [];
  if (state === 'closed') {
    parts.push(t('save.closed'));
    short.push(t('save.closed'));
  } else {
    if (counts.waiting > 0) {
      parts.push(state === 'offline' ? t('save.offlineCount', { n: counts.waiting }) : t('save.waitingCount', { n: counts.waiting }));
      short.push(state === 'offline' ? t('save.short.offline') : t('save.short.waiting', { n: counts.waiting }));
    }
    if (counts.failed > 0) {
      parts.push(t('save.failedCount', { n: counts.failed }));
      short.push(t('save.short.failed', { n: counts.failed }));
    }
    if (parts.length === 0) {
      parts.push(state === 'saving' ? t('save.saving') : t('save.saved'));
      short.push(state === 'saving' ? t('save.short.saving') : t('save.short.saved'));
    }
  }
  return (
    <div
      className={`save-indicator save-${state}`}
      role="status"
      aria-live="polite"
      data-testid="save-state"
      data-state={state}
      data-waiting={counts.waiting}
      data-failed={counts.failed}
    >
      <span className="dot" aria-hidden="true" />
      <span className="wide-only">{parts.join(' · ')}</span>
      <span className="narrow-only">{short.join(' · ')}</span>
    </div>
  );
}

/** Tells screen readers, once each, when 5 and 1 minutes are left. */
function TimeAnnouncer({ t, remaining }: { t: T; remaining: number }) {
  const [msg, setMsg] = useState('');
  const said = useRef(new Set<number>());
  useEffect(() => {
    for (const m of [5, 1]) {
      if (remaining <= m * 60_000 && remaining > 0 && !said.current.has(m)) {
        said.current.add(m);
        setMsg(t('take.minutesLeft', { n: m }));
      }
    }
  }, [remaining, t]);
  return (
    <div className="sr-only" aria-live="assertive">
      {msg}
    </div>
  );
}

export function QuestionCard({
  t,
  q,
  number,
  value,
  mark,
  flagged,
  onFlag,
  error,
  disabled,
  onChange,
}: {
  t: T;
  q: CandidateQuestion;
  number: number;
  value: Response | undefined;
  mark: QuestionMark;
  flagged: boolean;
  /** Absent in the editor's preview: there is nothing to flag. */
  onFlag?: () => void;
  error: unknown;
  disabled: boolean;
  onChange: (r: Response, debounce?: boolean) => void;
}) {
  const id = `q-${q.id}`;
  const pts =
    q.type === 'multiple_choice'
      ? t('take.mcScoring', { c: formatScore(q.per_correct ?? 1), w: formatScore(q.per_wrong ?? 1), f: formatScore(q.floor ?? 0) })
      : t('take.points', { n: formatScore(q.points ?? 0) });
  const head = (
    <div className="q-meta">
      <span className="q-number">{t('take.question', { n: number })}</span>
      <span className="q-points">{pts}</span>
      {mark === 'saved' ? (
        <span className="q-mark q-mark-saved" data-testid="q-mark" data-mark={mark}>
          {t('take.mark.saved')}
        </span>
      ) : mark === 'waiting' ? (
        <span className="q-mark q-mark-waiting" data-testid="q-mark" data-mark={mark}>
          {t('take.mark.waiting')}
        </span>
      ) : mark === 'failed' ? (
        <span className="q-mark q-mark-failed error-text" role="alert" data-testid="q-mark" data-mark={mark}>
          {t('take.mark.failed')}: {errorText(t, error)}
        </span>
      ) : null}
      {onFlag ? (
        <button
          type="button"
          className={`flag-button${flagged ? ' flagged' : ''}`}
          aria-pressed={flagged}
          data-testid="flag"
          disabled={disabled}
          onClick={onFlag}
        >
          <span aria-hidden="true">{flagged ? '⚑ ' : '⚐ '}</span>
          {t('take.flag')}
        </button>
      ) : null}
    </div>
  );

  switch (q.type) {
    case 'true_false':
    case 'single_choice': {
      const opts =
        q.type === 'true_false'
          ? [
              { key: 'true', text: t('common.true') },
              { key: 'false', text: t('common.false') },
            ]
          : (q.options ?? []);
      const cur = value && 'value' in value ? String(value.value) : value && 'choice' in value ? value.choice : undefined;
      return (
        <fieldset className="card q-card" id={id} data-qtype={q.type}>
          <legend className="q-prompt">{q.prompt}</legend>
          {head}
          <div className="q-options">
            {opts.map((o) => (
              <label key={o.key} className={`q-option ${cur === o.key ? 'selected' : ''}`}>
                <input
                  type="radio"
                  name={id}
                  value={o.key}
                  checked={cur === o.key}
                  disabled={disabled}
                  onChange={() => onChange(q.type === 'true_false' ? { value: o.key === 'true' } : { choice: o.key })}
                />
                <span>{o.text}</span>
              </label>
            ))}
          </div>
        </fieldset>
      );
    }
    case 'multiple_choice': {
      const cur = value && 'choices' in value ? value.choices : [];
      return (
        <fieldset className="card q-card" id={id} data-qtype={q.type}>
          <legend className="q-prompt">{q.prompt}</legend>
          {head}
          <div className="q-options">
            {(q.options ?? []).map((o) => (
              <label key={o.key} className={`q-option ${cur.includes(o.key) ? 'selected' : ''}`}>
                <input
                  type="checkbox"
                  value={o.key}
                  checked={cur.includes(o.key)}
                  disabled={disabled}
                  onChange={(e) => {
                    const set = new Set(cur);
                    if (e.target.checked) set.add(o.key);
                    else set.delete(o.key);
                    onChange({ choices: (q.options ?? []).map((x) => x.key).filter((k) => set.has(k)) });
                  }}
                />
                <span>{o.text}</span>
              </label>
            ))}
          </div>
        </fieldset>
      );
    }
    case 'fill_in': {
      const count = q.blank_count ?? 1;
      const blanks = blanksOf(value, count);
      const parts = splitPrompt(q.prompt, count);
      return (
        <fieldset className="card q-card" id={id} data-qtype={q.type}>
          <legend className="sr-only">{t('take.question', { n: number })}</legend>
          <p className="q-prompt fill-prompt">
            {parts.map((p, i) =>
              'text' in p ? (
                <span key={i}>{p.text}</span>
              ) : (
                <input
                  key={i}
                  className="blank-input"
                  aria-label={t('take.blank', { n: p.blank + 1 })}
                  value={blanks[p.blank]}
                  disabled={disabled}
                  autoComplete="off"
                  onChange={(e) => {
                    const next = blanks.slice();
                    next[p.blank] = e.target.value;
                    onChange({ blanks: next }, true);
                  }}
                />
              ),
            )}
          </p>
          {head}
        </fieldset>
      );
    }
    case 'essay': {
      const text = value && 'text' in value ? value.text : '';
      return (
        <div className="card q-card" id={id} data-qtype={q.type}>
          <label htmlFor={`${id}-text`} className="q-prompt">
            {q.prompt}
          </label>
          {head}
          <textarea
            id={`${id}-text`}
            className="essay-input"
            value={text}
            rows={8}
            disabled={disabled}
            onChange={(e) => onChange({ text: e.target.value }, true)}
          />
          <p className="muted small">{t('take.chars', { n: [...text].length })}</p>
        </div>
      );
    }
  }
}
