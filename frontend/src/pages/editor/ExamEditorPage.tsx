// The exam editor page: one reducer holds the draft and the page's state
// (see state.ts); this component loads, saves and publishes, and lays out
// the settings, the sections and the action bar.

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../../context';
import { ApiError } from '../../lib/http';
import type { FieldProblem } from '../../lib/http';
import { fieldDomId, fieldKey } from '../../lib/fieldpath';
import { copyOf, examMax, toDocument, trackLabel as labelOf } from '../../lib/examModel';
import { problemMessage, problemSentence } from '../../lib/problems';
import type { ProblemContext } from '../../lib/problems';
import { Link, navigate, useLeaveGuard } from '../../lib/router';
import { ErrorMessage, ErrorSummary, FieldErrors, Loading, Notice, StatusBadge, formatScore, usePageTitle, ExamLinks, PageHeader } from '../../components/ui';
import { DispatchContext, ProblemsContext } from './context';
import type { FieldProblems } from './context';
import { initialState, plainDoc, reducer } from './state';
import type { ESection } from './state';
import { SettingsCard } from './SettingsCard';
import { SectionEditor } from './SectionEditor';
import { PublishDialog } from './PublishDialog';
import { Outline } from './Outline';
import { PreviewDialog } from './PreviewDialog';
import { ImportDialog } from './ImportDialog';
import { ExportMenu } from './ExportMenu';
import { ImportSummary } from './ImportSummary';
import { takePendingImport, withLine } from '../../lib/imports';
import type { ImportResult } from '../../lib/imports';

/** Question numbers across sections, as the editor shows them. */
function numbering(sections: ESection[] | undefined): NonNullable<ProblemContext['questionNumber']> {
  const bases: number[] = [];
  let n = 0;
  for (const s of sections ?? []) {
    bases.push(n);
    n += s.questions.length;
  }
  return (si, qi) => (bases[si] ?? 0) + qi + 1;
}

export function ExamEditorPage({ id }: { id?: string }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const [s, dispatch] = useReducer(reducer, id, initialState);
  const { doc } = s;

  usePageTitle(doc?.title || (id ? t('editor.title') : t('exams.new')));

  // The exam this page holds. The page stays mounted from /exams/new to
  // /exams/<id> once the new exam is saved; another id loads afresh.
  const held = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (id === held.current) return;
    held.current = id;
    if (!id) {
      dispatch({ type: 'reset' });
      return;
    }
    let alive = true;
    api.getExam(id).then(
      (exam) => alive && dispatch({ type: 'loaded', exam }),
      (error) => alive && dispatch({ type: 'loadFailed', error }),
    );
    return () => {
      alive = false;
      held.current = undefined;
    };
  }, [api, id]);

  // A paper read on the exam list opens here, in the new draft (after the
  // reset above when coming from another exam).
  useEffect(() => {
    if (id) return;
    const pending = takePendingImport();
    if (pending) dispatch({ type: 'imported', result: pending });
  }, [id]);

  // Ask before leaving with unsaved changes (links, Back, reload, close).
  useLeaveGuard(s.dirty, t('editor.leaveUnsaved'));

  const labels = doc?.track_labels;
  const trackLabel = useCallback((tr: string) => labelOf({ track_labels: labels }, tr), [labels]);
  const sections = doc?.sections;
  const questionNumber = useMemo(() => numbering(sections), [sections]);
  // Problems by editor field, in the reader's language. Rebuilt when a save
  // answers (or the language changes), not on each keystroke.
  const lineLabel = useCallback((n: number) => t('import.line', { n }), [t]);
  const lineSep = t('import.lineSep');
  const fieldProblems: FieldProblems = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of s.problems) {
      const k = fieldKey(p.field || '');
      m.set(k, [...(m.get(k) ?? []), withLine(p, problemMessage(lang, p), lineLabel, lineSep)]);
    }
    const keys = [...m.keys()];
    return {
      get: (k) => m.get(k),
      under: (k) => keys.some((x) => x === k || x.startsWith(`${k}.`) || x.startsWith(`${k}[`)),
    };
  }, [s.problems, lang, lineLabel, lineSep]);
  const describe = useCallback(
    (p: FieldProblem) => withLine(p, problemSentence(lang, p, { questionNumber, trackLabel }), lineLabel, lineSep),
    [lang, questionNumber, trackLabel, lineLabel, lineSep],
  );
  const [importing, setImporting] = useState(false);
  const onImported = (r: ImportResult) => {
    setImporting(false);
    dispatch({ type: 'imported', result: r });
  };

  /** Saves the draft: its id, or the server's 422 details, or null after another failure. */
  const save = async (busy: 'save' | 'publish'): Promise<{ id: string } | { problems: FieldProblem[] } | null> => {
    if (!doc) return null;
    dispatch({ type: 'saveStarted', busy });
    const body = toDocument(plainDoc(doc));
    try {
      const saved = s.examId ? await api.updateExam(s.examId, body) : await api.createExam(body);
      dispatch({ type: 'saved', exam: saved });
      const savedId = saved.id ?? s.examId;
      if (!s.examId && saved.id) {
        held.current = saved.id;
        navigate(`/exams/${saved.id}`, { replace: true, force: true });
      }
      return savedId ? { id: savedId } : null;
    } catch (err) {
      const problems = err instanceof ApiError ? err.details : [];
      dispatch({ type: 'saveFailed', error: err, problems });
      return problems.length ? { problems } : null;
    }
  };

  const onSave = async (e?: FormEvent) => {
    e?.preventDefault();
    await save('save');
  };

  // Publishing: save first (the server checks every rule then), then a
  // summary the recruiter confirms; the server's refusal shows in it.
  const onPublish = async () => {
    const r = s.dirty || !s.examId ? await save('publish') : { id: s.examId };
    if (!r) return;
    dispatch({ type: 'publishOpened', examId: 'id' in r ? r.id : undefined, problems: 'problems' in r ? r.problems : [] });
  };

  const confirmPublish = async () => {
    const target = s.publishing?.examId;
    if (!target) return;
    dispatch({ type: 'publishStarted' });
    try {
      const r = await api.publish(target);
      dispatch({ type: 'published', version: r.version });
    } catch (err) {
      dispatch({ type: 'publishFailed', error: err, problems: err instanceof ApiError ? err.details : [] });
    }
  };

  // A copy of the saved exam as a new draft, opened in the editor.
  const [previewing, setPreviewing] = useState(false);
  const [copying, setCopying] = useState(false);
  const [copyError, setCopyError] = useState<unknown>(null);
  const onDuplicate = async () => {
    if (!s.examId) return;
    if (s.dirty && !window.confirm(t('editor.leaveUnsaved'))) return;
    setCopying(true);
    setCopyError(null);
    try {
      const src = await api.getExam(s.examId);
      const copy = await api.createExam(copyOf(src, t('editor.copySuffix')));
      navigate(`/exams/${copy.id}`, { force: true });
    } catch (err) {
      setCopyError(err);
    } finally {
      setCopying(false);
    }
  };

  if (s.loadError) {
    return (
      <section className="page">
        <ErrorMessage error={s.loadError} />
      </section>
    );
  }
  if (!doc) {
    return (
      <section className="page">
        <Loading />
      </section>
    );
  }

  const maxes = examMax(plainDoc(doc));
  const tracks = doc.tracks ?? [];
  const bases: number[] = [];
  doc.sections.reduce((a, x) => (bases.push(a), a + x.questions.length), 0);
  const apiProblems = s.error instanceof ApiError && s.error.details.length > 0;

  return (
    <DispatchContext.Provider value={dispatch}>
      <ProblemsContext.Provider value={fieldProblems}>
        <section className="page editor">
          <PageHeader
            title={s.examId ? doc.title || t('editor.title') : t('exams.new')}
            sub={
              <p className="muted small">
                <StatusBadge status={s.status ?? 'draft'} /> {t('editor.latestVersion')}:{' '}
                <strong data-testid="latest-version">{s.latestVersion}</strong>
                {' · '}
                {t('editor.maxScore')}:{' '}
                {Object.entries(maxes)
                  .map(([tr, m]) => (tr ? `${trackLabel(tr)} ${formatScore(m)}` : formatScore(m)))
                  .join(' / ')}
              </p>
            }
            actions={
              <>
                <button type="button" className="btn btn-small" onClick={() => setPreviewing(true)}>
                  {t('preview.open')}
                </button>
                {s.examId ? null : (
                  <button type="button" className="btn btn-small" onClick={() => setImporting(true)}>
                    {t('import.open')}
                  </button>
                )}
                {s.examId ? <ExportMenu examId={s.examId} unsaved={s.dirty} /> : null}
                {s.examId ? (
                  <nav className="head-actions" aria-label={t('editor.related')}>
                    <ExamLinks examId={s.examId} pages={['invitations', 'results']} />
                    <button type="button" className="btn btn-small" onClick={onDuplicate} disabled={copying}>
                      {copying ? t('common.working') : t('editor.duplicate')}
                    </button>
                  </nav>
                ) : null}
              </>
            }
          />
          <ErrorMessage error={copyError} />

          {s.imported ? <ImportSummary summary={s.imported} sections={doc.sections} /> : null}

          <ErrorSummary problems={s.problems} describe={describe} />

          <div className="editor-layout">
            <Outline sections={doc.sections} />
            <form onSubmit={onSave} noValidate aria-label={t('editor.title')}>
              <SettingsCard doc={doc} tracksText={s.tracksText} />

              <FieldErrors id={fieldDomId('sections')} errors={fieldProblems.get('sections')} />

              {doc.sections.map((sec, si) => (
                <SectionEditor
                  key={sec.key}
                  section={sec}
                  si={si}
                  count={doc.sections.length}
                  numberBase={bases[si]}
                  tracks={tracks}
                  trackLabel={trackLabel}
                  collapsed={!!s.collapsed[sec.key]}
                />
              ))}

              <div className="add-row">
                <button type="button" className="btn" onClick={() => dispatch({ type: 'addSection' })}>
                  + {t('editor.addSection')}
                </button>
              </div>

              <div className="actionbar" role="region" aria-label={t('editor.actions')}>
                <div className="actionbar-inner">
                  <span className="muted small" aria-live="polite">
                    {s.dirty ? t('editor.unsaved') : s.examId ? t('editor.allSaved') : ''}
                  </span>
                  <div className="actionbar-buttons">
                    <button type="submit" className="btn" disabled={s.busy !== null}>
                      {s.busy === 'save' ? t('common.saving') : t('editor.save')}
                    </button>
                    <button type="button" className="btn btn-primary" onClick={onPublish} disabled={s.busy !== null}>
                      {s.busy === 'publish' ? t('common.working') : t('editor.publish')}
                    </button>
                  </div>
                </div>
                <div className="actionbar-msg">
                  {s.notice?.kind === 'saved' ? <Notice kind="success">{t('editor.saved')}</Notice> : null}
                  {s.notice?.kind === 'published' ? (
                    <Notice kind="success">
                      {t('editor.published', { n: s.notice.version })}{' '}
                      <Link to={`/exams/${s.notice.examId}/invitations`}>{t('editor.inviteNow')}</Link>
                    </Notice>
                  ) : null}
                  {s.error && !apiProblems ? <ErrorMessage error={s.error} /> : null}
                  {apiProblems ? (
                    <div className="alert alert-error" role="alert">
                      {t('editor.fixProblems', { n: (s.error as ApiError).details.length })}
                    </div>
                  ) : null}
                </div>
              </div>
            </form>
          </div>
          {importing ? <ImportDialog onImported={onImported} onClose={() => setImporting(false)} /> : null}
          {previewing ? <PreviewDialog draft={plainDoc(doc)} trackLabel={trackLabel} onClose={() => setPreviewing(false)} /> : null}
          {s.publishing ? (
            <PublishDialog
              key={s.publishing.n}
              open
              draft={plainDoc(doc)}
              serverProblems={s.publishing.problems}
              error={s.publishing.error ?? (s.publishing.examId ? null : new Error(t('publish.notSaved')))}
              nextVersion={s.latestVersion + 1}
              busy={s.busy !== null}
              trackLabel={trackLabel}
              describeProblem={describe}
              onConfirm={confirmPublish}
              onCancel={() => dispatch({ type: 'publishClosed' })}
            />
          ) : null}
        </section>
      </ProblemsContext.Provider>
    </DispatchContext.Provider>
  );
}
