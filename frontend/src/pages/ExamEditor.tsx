import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useI18n, useStaff } from '../context';
import type { T } from '../context';
import { ApiError } from '../lib/http';
import type { FieldProblem } from '../lib/http';
import { fieldDomId, groupByField, problemsFor } from '../lib/fieldpath';
import {
  changeType,
  countPlaceholders,
  emptyExam,
  emptySection,
  examMax,
  fromExam,
  newQuestion,
  nextOptionKey,
  parseLines,
  parseTracks,
  questionMax,
  toDocument,
} from '../lib/examModel';
import { Link, navigate } from '../lib/router';
import { PublishDialog } from './editor/PublishDialog';
import { QUESTION_TYPES } from '../lib/types';
import type { ExamDocument, Question, QuestionType, Section } from '../lib/types';
import {
  Checkbox,
  ErrorMessage,
  ErrorSummary,
  FieldErrors,
  Loading,
  Notice,
  NumberField,
  SelectField,
  StatusBadge,
  TextArea,
  TextField,
  formatScore,
  usePageTitle,
} from '../components/ui';

type Problems = Map<string, string[]>;

let uidCounter = 0;
const uid = () => `k${++uidCounter}`;
type Keyed = { id?: string; _key?: string };
const keyOf = (o: Keyed) => o.id ?? (o._key ??= uid());

function withKey<O extends object>(o: O): O {
  (o as Keyed)._key = uid();
  return o;
}

// When a new exam is saved, the URL changes from /exams/new to /exams/<id>;
// the route keeps the same React key for that id, so the page (with its
// notices and focus) is not mounted afresh.
let adopted: { id: string; key: string } | null = null;
let newCount = 0;
export const editorKey = (id?: string) => (id ? (id === adopted?.id ? adopted.key : id) : `new-${newCount}`);

interface Meta {
  status?: string;
  latest_version?: number;
}

export function ExamEditorPage({ id }: { id?: string }) {
  const { t } = useI18n();
  const { api } = useStaff();
  const [examId, setExamId] = useState<string | undefined>(id);
  const [draft, setDraft] = useState<ExamDocument | null>(id ? null : emptyExam());
  const [tracksText, setTracksText] = useState('');
  const [meta, setMeta] = useState<Meta>({});
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [notice, setNotice] = useState<ReactNode>(null);
  // The publish confirmation while open: the saved exam's id (none when the
  // save was refused) and the server's problems.
  const [publishing, setPublishing] = useState<{ id?: string; problems: FieldProblem[]; n: number } | null>(null);
  const [publishError, setPublishError] = useState<unknown>(null);
  const publishCount = useRef(0);

  usePageTitle(draft?.title || (id ? t('editor.title') : t('exams.new')));

  const createdHere = useRef<string | null>(null);
  useEffect(() => {
    if (!id || id === createdHere.current) return;
    let alive = true;
    api.getExam(id).then(
      (e) => {
        if (!alive) return;
        const d = fromExam(e);
        setDraft(d);
        setTracksText((d.tracks ?? []).join(', '));
        setMeta({ status: e.status, latest_version: e.latest_version ?? 0 });
      },
      (err) => alive && setLoadError(err),
    );
    return () => {
      alive = false;
    };
  }, [api, id]);

  // Warn before leaving with unsaved changes.
  useEffect(() => {
    if (!dirty) return;
    const h = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', h);
    return () => window.removeEventListener('beforeunload', h);
  }, [dirty]);

  const mutate = useCallback((fn: (d: ExamDocument) => void, structural = false) => {
    setDraft((prev) => {
      if (!prev) return prev;
      const next = structuredClone(prev);
      fn(next);
      return next;
    });
    setDirty(true);
    setNotice(null);
    // Paths shift when things move: stale problems would point elsewhere.
    if (structural) setProblems([]);
  }, []);

  const groups: Problems = useMemo(() => groupByField(problems), [problems]);

  /** Saves the draft: its id, or the server's 422 details, or null after another failure. */
  const save = async (): Promise<{ id: string } | { problems: FieldProblem[] } | null> => {
    if (!draft) return null;
    setError(null);
    setProblems([]);
    setNotice(null);
    const body = toDocument(draft);
    try {
      const saved = examId ? await api.updateExam(examId, body) : await api.createExam(body);
      const d = fromExam(saved);
      setDraft(d);
      setTracksText((d.tracks ?? []).join(', '));
      setMeta((m) => ({ status: saved.status ?? m.status, latest_version: saved.latest_version ?? m.latest_version ?? 0 }));
      setDirty(false);
      if (!examId && saved.id) {
        setExamId(saved.id);
        createdHere.current = saved.id;
        adopted = { id: saved.id, key: `new-${newCount}` };
        newCount += 1;
        navigate(`/exams/${saved.id}`, { replace: true });
      }
      const savedId = saved.id ?? examId;
      return savedId ? { id: savedId } : null;
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.details.length) {
        setProblems(err.details);
        return { problems: err.details };
      }
      return null;
    }
  };

  const onSave = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy('save');
    const r = await save();
    setBusy(null);
    if (r && 'id' in r) setNotice(<Notice kind="success">{t('editor.saved')}</Notice>);
  };

  // Publishing: save first (the server checks every rule then), then a
  // summary the recruiter confirms; the server's refusal shows in it.
  const onPublish = async () => {
    setBusy('publish');
    let r: Awaited<ReturnType<typeof save>> = examId ? { id: examId } : null;
    if (dirty || !examId) r = await save();
    setBusy(null);
    if (!r) return;
    setPublishing({ id: 'id' in r ? r.id : undefined, problems: 'problems' in r ? r.problems : [], n: publishCount.current++ });
  };

  const confirmPublish = async () => {
    const target = publishing?.id;
    if (!target) return;
    setBusy('publish');
    setPublishError(null);
    try {
      const r = await api.publish(target);
      setMeta((m) => ({ ...m, latest_version: r.version, status: m.status }));
      setPublishing(null);
      setNotice(
        <Notice kind="success">
          {t('editor.published', { n: r.version })}{' '}
          <Link to={`/exams/${target}/invitations`}>{t('editor.inviteNow')}</Link>
        </Notice>,
      );
    } catch (err) {
      if (err instanceof ApiError && err.details.length) {
        setProblems(err.details);
        setPublishing((x) => (x ? { ...x, problems: err.details } : x));
      } else {
        setPublishError(err);
      }
    } finally {
      setBusy(null);
    }
  };

  if (loadError) {
    return (
      <section className="page">
        <ErrorMessage error={loadError} />
      </section>
    );
  }
  if (!draft) {
    return (
      <section className="page">
        <Loading />
      </section>
    );
  }

  const errs = (k: string) => groups.get(k);
  const maxes = examMax(draft);
  const tracks = draft.tracks ?? [];

  return (
    <section className="page editor">
      <div className="page-head">
        <div>
          <h1>{examId ? draft.title || t('editor.title') : t('exams.new')}</h1>
          <p className="muted small">
            {meta.status ? <StatusBadge status={meta.status} /> : <StatusBadge status="draft" />}{' '}
            {t('editor.latestVersion')}: <strong data-testid="latest-version">{meta.latest_version ?? 0}</strong>
            {' · '}
            {t('editor.maxScore')}:{' '}
            {Object.entries(maxes)
              .map(([tr, m]) => (tr ? `${tr} ${formatScore(m)}` : formatScore(m)))
              .join(' / ')}
          </p>
        </div>
        {examId ? (
          <nav className="head-actions" aria-label={t('editor.related')}>
            <Link to={`/exams/${examId}/invitations`} className="btn btn-small">
              {t('exams.invitations')}
            </Link>
            <Link to={`/exams/${examId}/results`} className="btn btn-small">
              {t('exams.results')}
            </Link>
          </nav>
        ) : null}
      </div>

      <ErrorSummary problems={problems} />

      <form onSubmit={onSave} noValidate aria-label={t('editor.title')}>
        <fieldset className="card">
          <legend>{t('editor.settings')}</legend>
          <TextField
            label={t('editor.examTitle')}
            field="title"
            value={draft.title}
            onChange={(v) => mutate((d) => void (d.title = v))}
            errors={errs('title')}
            required
          />
          <TextArea
            label={t('editor.description')}
            field="description"
            value={draft.description ?? ''}
            onChange={(v) => mutate((d) => void (d.description = v))}
            errors={errs('description')}
            rows={2}
          />
          <div className="grid-4">
            <NumberField
              label={t('editor.timeLimit')}
              field="time_limit"
              value={draft.time_limit_seconds === undefined ? undefined : Math.round((draft.time_limit_seconds / 60) * 10000) / 10000}
              onChange={(v) =>
                mutate((d) => void (d.time_limit_seconds = v === undefined ? (undefined as unknown as number) : Math.round(v * 60)))
              }
              errors={errs('time_limit')}
              min={0}
              step="any"
              required
            />
            <NumberField
              label={t('editor.grace')}
              field="grace_seconds"
              value={draft.grace_seconds}
              onChange={(v) => mutate((d) => void (d.grace_seconds = v))}
              errors={errs('grace_seconds')}
              min={0}
              step={1}
            />
            <NumberField
              label={t('editor.passScore')}
              field="pass_score"
              value={draft.pass_score}
              onChange={(v) => mutate((d) => void (d.pass_score = v))}
              errors={errs('pass_score')}
              min={0}
              step={0.5}
            />
            <TextField
              label={t('editor.tracks')}
              field="tracks"
              value={tracksText}
              onChange={(v) => {
                setTracksText(v);
                mutate((d) => void (d.tracks = parseTracks(v)));
              }}
              errors={errs('tracks')}
              hint={t('editor.tracksHint')}
            />
          </div>
          <div className="checks">
            <Checkbox
              label={t('editor.shuffleQuestions')}
              field="shuffle_questions"
              checked={!!draft.shuffle_questions}
              onChange={(v) => mutate((d) => void (d.shuffle_questions = v))}
            />
            <Checkbox
              label={t('editor.shuffleOptions')}
              field="shuffle_options"
              checked={!!draft.shuffle_options}
              onChange={(v) => mutate((d) => void (d.shuffle_options = v))}
            />
            <Checkbox
              label={t('editor.showScore')}
              field="show_score_to_candidate"
              checked={!!draft.show_score_to_candidate}
              onChange={(v) => mutate((d) => void (d.show_score_to_candidate = v))}
            />
          </div>
        </fieldset>

        <FieldErrors id={fieldDomId('sections')} errors={errs('sections')} />

        {draft.sections.map((s, si) => (
          <SectionEditor
            key={keyOf(s)}
            t={t}
            section={s}
            si={si}
            count={draft.sections.length}
            tracks={tracks}
            groups={groups}
            mutate={mutate}
            numberBase={draft.sections.slice(0, si).reduce((a, x) => a + x.questions.length, 0)}
          />
        ))}

        <div className="add-row">
          <button
            type="button"
            className="btn"
            onClick={() => mutate((d) => void d.sections.push(withKey(emptySection())), true)}
          >
            + {t('editor.addSection')}
          </button>
        </div>

        <div className="actionbar" role="region" aria-label={t('editor.actions')}>
          <div className="actionbar-inner">
            <span className="muted small" aria-live="polite">
              {dirty ? t('editor.unsaved') : examId ? t('editor.allSaved') : ''}
            </span>
            <div className="actionbar-buttons">
              <button type="submit" className="btn" disabled={busy !== null}>
                {busy === 'save' ? t('common.saving') : t('editor.save')}
              </button>
              <button type="button" className="btn btn-primary" onClick={onPublish} disabled={busy !== null}>
                {busy === 'publish' ? t('common.working') : t('editor.publish')}
              </button>
            </div>
          </div>
          <div className="actionbar-msg">
            {notice}
            {error && !(error instanceof ApiError && error.details.length) ? <ErrorMessage error={error} /> : null}
            {error instanceof ApiError && error.details.length ? (
              <div className="alert alert-error" role="alert">
                {t('editor.fixProblems', { n: error.details.length })}
              </div>
            ) : null}
          </div>
        </div>
      </form>
      {publishing ? (
        <PublishDialog
          key={publishing.n}
          open
          draft={draft}
          serverProblems={publishing.problems}
          error={publishError ?? (publishing.id ? null : new Error(t('publish.notSaved')))}
          nextVersion={(meta.latest_version ?? 0) + 1}
          busy={busy !== null}
          trackLabel={(tr) => tr}
          describeProblem={(p) => (p.field ? `${p.field}: ${p.message}` : p.message)}
          onConfirm={confirmPublish}
          onCancel={() => {
            setPublishing(null);
            setPublishError(null);
          }}
        />
      ) : null}
    </section>
  );
}

type Mutate = (fn: (d: ExamDocument) => void, structural?: boolean) => void;

function moveItem<X>(list: X[], i: number, j: number) {
  if (j < 0 || j >= list.length) return;
  const [x] = list.splice(i, 1);
  list.splice(j, 0, x);
}

function SectionEditor({
  t,
  section,
  si,
  count,
  tracks,
  groups,
  mutate,
  numberBase,
}: {
  t: T;
  section: Section;
  si: number;
  count: number;
  tracks: string[];
  groups: Problems;
  mutate: Mutate;
  numberBase: number;
}) {
  const [addType, setAddType] = useState<QuestionType>('single_choice');
  const base = `sections[${si}]`;
  const errs = (k: string) => groups.get(`${base}.${k}`);
  const n = si + 1;
  return (
    <fieldset className="card section-editor" id={fieldDomId(base)} tabIndex={-1}>
      <legend>{t('editor.section', { n })}</legend>
      <div className="item-tools">
        <button type="button" className="btn btn-small btn-ghost" disabled={si === 0} onClick={() => mutate((d) => moveItem(d.sections, si, si - 1), true)} aria-label={t('editor.moveSectionUp', { n })}>
          ↑
        </button>
        <button type="button" className="btn btn-small btn-ghost" disabled={si === count - 1} onClick={() => mutate((d) => moveItem(d.sections, si, si + 1), true)} aria-label={t('editor.moveSectionDown', { n })}>
          ↓
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost btn-danger-text"
          onClick={() => {
            if (section.questions.length === 0 || window.confirm(t('editor.confirmRemoveSection', { n }))) {
              mutate((d) => void d.sections.splice(si, 1), true);
            }
          }}
          aria-label={t('editor.removeSection', { n })}
        >
          {t('common.remove')}
        </button>
      </div>
      <FieldErrors id={`${fieldDomId(base)}-err`} errors={groups.get(base)} />
      <div className="grid-2">
        <TextField
          label={t('editor.sectionTitle')}
          field={`${base}.title`}
          value={section.title}
          onChange={(v) => mutate((d) => void (d.sections[si].title = v))}
          errors={errs('title')}
        />
        <TextArea
          label={t('editor.instructions')}
          field={`${base}.instructions`}
          value={section.instructions ?? ''}
          onChange={(v) => mutate((d) => void (d.sections[si].instructions = v))}
          errors={errs('instructions')}
          rows={1}
        />
      </div>
      <FieldErrors id={`${fieldDomId(base + '.questions')}-err`} errors={groups.get(`${base}.questions`)} />
      {section.questions.map((q, qi) => (
        <QuestionEditor
          key={keyOf(q)}
          t={t}
          q={q}
          si={si}
          qi={qi}
          count={section.questions.length}
          number={numberBase + qi + 1}
          tracks={tracks}
          groups={groups}
          mutate={mutate}
        />
      ))}
      <div className="add-row">
        <SelectField
          label={t('editor.questionType')}
          className="inline-field"
          value={addType}
          onChange={setAddType}
          options={QUESTION_TYPES.map((ty) => ({ value: ty, label: t(`qtype.${ty}`) }))}
        />
        <button
          type="button"
          className="btn"
          onClick={() => mutate((d) => void d.sections[si].questions.push(withKey(newQuestion(addType))), true)}
        >
          + {t('editor.addQuestion')}
        </button>
      </div>
    </fieldset>
  );
}

function QuestionEditor({
  t,
  q,
  si,
  qi,
  count,
  number,
  tracks,
  groups,
  mutate,
}: {
  t: T;
  q: Question;
  si: number;
  qi: number;
  count: number;
  number: number;
  tracks: string[];
  groups: Problems;
  mutate: Mutate;
}) {
  const base = `sections[${si}].questions[${qi}]`;
  const errs = (k: string) => groups.get(`${base}.${k}`);
  const upd = (fn: (q: Question) => void, structural = false) => mutate((d) => fn(d.sections[si].questions[qi]), structural);
  const hasProblems = problemsFor(groups, base, true).length > 0;

  return (
    <fieldset className={`question-editor ${hasProblems ? 'has-problems' : ''}`} id={fieldDomId(base)} tabIndex={-1}>
      <legend>
        {t('editor.question', { n: number })} · {t(`qtype.${q.type}`)} · {t('editor.maxPoints', { n: formatScore(questionMax(q)) })}
      </legend>
      <div className="item-tools">
        <button type="button" className="btn btn-small btn-ghost" disabled={qi === 0} onClick={() => mutate((d) => moveItem(d.sections[si].questions, qi, qi - 1), true)} aria-label={t('editor.moveQuestionUp', { n: number })}>
          ↑
        </button>
        <button type="button" className="btn btn-small btn-ghost" disabled={qi === count - 1} onClick={() => mutate((d) => moveItem(d.sections[si].questions, qi, qi + 1), true)} aria-label={t('editor.moveQuestionDown', { n: number })}>
          ↓
        </button>
        <button type="button" className="btn btn-small btn-ghost btn-danger-text" onClick={() => mutate((d) => void d.sections[si].questions.splice(qi, 1), true)} aria-label={t('editor.removeQuestion', { n: number })}>
          {t('common.remove')}
        </button>
      </div>
      <FieldErrors id={`${fieldDomId(base)}-err`} errors={groups.get(base)} />
      <div className="grid-2 q-head">
        <SelectField
          label={t('editor.questionType')}
          field={`${base}.type`}
          value={q.type}
          onChange={(ty) =>
            mutate((d) => {
              const old = d.sections[si].questions[qi];
              const n = changeType(old, ty) as Question & Keyed;
              n._key = (old as Keyed)._key;
              d.sections[si].questions[qi] = n;
            }, true)
          }
          options={QUESTION_TYPES.map((ty) => ({ value: ty, label: t(`qtype.${ty}`) }))}
          errors={errs('type')}
        />
        {tracks.length ? (
          <fieldset className="field tracks-field" id={fieldDomId(`${base}.tracks`)} tabIndex={-1}>
            <legend>{t('editor.questionTracks')}</legend>
            <div className="checks">
              {tracks.map((tr) => (
                <Checkbox
                  key={tr}
                  label={tr}
                  checked={(q.tracks ?? []).includes(tr)}
                  onChange={(v) =>
                    upd((x) => {
                      const set = new Set(x.tracks ?? []);
                      if (v) set.add(tr);
                      else set.delete(tr);
                      x.tracks = tracks.filter((k) => set.has(k));
                    })
                  }
                />
              ))}
            </div>
            <p className="hint">{t('editor.questionTracksHint')}</p>
            <FieldErrors id={`${fieldDomId(`${base}.tracks`)}-err`} errors={errs('tracks')} />
          </fieldset>
        ) : null}
      </div>
      <TextArea
        label={t('editor.prompt')}
        field={`${base}.prompt`}
        value={q.prompt}
        onChange={(v) => upd((x) => void (x.prompt = v))}
        errors={errs('prompt')}
        hint={q.type === 'fill_in' ? t('editor.fillInHint') : undefined}
        rows={q.type === 'essay' ? 3 : 2}
      />
      {q.type === 'true_false' ? <TrueFalseBody t={t} q={q} base={base} errs={errs} upd={upd} /> : null}
      {q.type === 'single_choice' || q.type === 'multiple_choice' ? (
        <ChoiceBody t={t} q={q} base={base} errs={errs} upd={upd} groups={groups} />
      ) : null}
      {q.type === 'fill_in' ? <FillInBody t={t} q={q} base={base} errs={errs} upd={upd} /> : null}
      {q.type === 'essay' ? <EssayBody t={t} q={q} base={base} errs={errs} upd={upd} /> : null}
    </fieldset>
  );
}

interface BodyProps {
  t: T;
  q: Question;
  base: string;
  errs: (k: string) => string[] | undefined;
  upd: (fn: (q: Question) => void, structural?: boolean) => void;
}

function PointsField({ t, q, base, errs, upd }: BodyProps) {
  return (
    <NumberField
      label={t('editor.points')}
      field={`${base}.points`}
      className="narrow-field"
      value={q.points}
      onChange={(v) => upd((x) => void (x.points = v))}
      errors={errs('points')}
      min={0}
      step={0.5}
    />
  );
}

function TrueFalseBody(p: BodyProps) {
  const { t, q, base, errs, upd } = p;
  const name = `tf-${base}`;
  return (
    <div className="grid-2">
      <fieldset className="field" id={fieldDomId(`${base}.answer`)} tabIndex={-1}>
        <legend>{t('editor.correctAnswer')}</legend>
        <div className="checks">
          {[true, false].map((v) => (
            <div className="check" key={String(v)}>
              <input
                type="radio"
                id={`${name}-${v}`}
                name={name}
                checked={q.answer === v}
                onChange={() => upd((x) => void (x.answer = v))}
              />
              <label htmlFor={`${name}-${v}`}>{v ? t('common.true') : t('common.false')}</label>
            </div>
          ))}
        </div>
        <FieldErrors id={`${fieldDomId(`${base}.answer`)}-err`} errors={errs('answer')} />
      </fieldset>
      <PointsField {...p} />
    </div>
  );
}

function ChoiceBody(p: BodyProps & { groups: Problems }) {
  const { t, q, base, errs, upd } = p;
  const single = q.type === 'single_choice';
  const options = q.options ?? [];
  const name = `correct-${base}`;
  const isCorrect = (k: string) => (single ? q.answer === k : (q.answers ?? []).includes(k));
  const answerErrs = single ? errs('answer') : errs('answers');
  const scoringErrs = (k: string) => errs(`scoring.${k}`);
  return (
    <>
      <fieldset className="field options-field" id={fieldDomId(`${base}.options`)} tabIndex={-1}>
        <legend>{single ? t('editor.optionsSingle') : t('editor.optionsMultiple')}</legend>
        <FieldErrors id={`${fieldDomId(`${base}.options`)}-err`} errors={errs('options')} />
        <ol className="option-list">
          {options.map((o, oi) => {
            const n = oi + 1;
            const ob = `${base}.options[${oi}]`;
            const oErr = [...(errs(`options[${oi}]`) ?? []), ...(errs(`options[${oi}].key`) ?? []), ...(errs(`options[${oi}].text`) ?? [])];
            return (
              <li key={oi} className={`option-row ${oErr.length ? 'field-bad' : ''}`}>
                <div className="option-correct">
                  <input
                    type={single ? 'radio' : 'checkbox'}
                    name={name}
                    id={`${fieldDomId(ob)}-correct`}
                    checked={isCorrect(o.key)}
                    onChange={(e) =>
                      upd((x) => {
                        if (single) x.answer = o.key;
                        else {
                          const set = new Set(x.answers ?? []);
                          if (e.target.checked) set.add(o.key);
                          else set.delete(o.key);
                          x.answers = (x.options ?? []).map((y) => y.key).filter((k) => set.has(k));
                        }
                      })
                    }
                  />
                  <label htmlFor={`${fieldDomId(ob)}-correct`}>{t('editor.correct')}</label>
                </div>
                <input
                  className="option-key"
                  id={fieldDomId(`${ob}.key`)}
                  aria-label={t('editor.optionKey', { n })}
                  value={o.key}
                  maxLength={8}
                  onChange={(e) =>
                    upd((x) => {
                      const old = x.options![oi].key;
                      const nk = e.target.value;
                      x.options![oi].key = nk;
                      if (x.answer === old) x.answer = nk;
                      if (x.answers) x.answers = x.answers.map((a) => (a === old ? nk : a));
                    })
                  }
                  aria-invalid={oErr.length ? true : undefined}
                />
                <input
                  className="option-text"
                  id={fieldDomId(`${ob}.text`)}
                  aria-label={t('editor.optionText', { n })}
                  placeholder={t('editor.optionText', { n })}
                  value={o.text}
                  onChange={(e) => upd((x) => void (x.options![oi].text = e.target.value))}
                  aria-invalid={oErr.length ? true : undefined}
                  aria-describedby={oErr.length ? `${fieldDomId(ob)}-err` : undefined}
                />
                <button
                  type="button"
                  className="btn btn-small btn-ghost btn-danger-text"
                  aria-label={t('editor.removeOption', { n })}
                  onClick={() =>
                    upd((x) => {
                      const [gone] = x.options!.splice(oi, 1);
                      if (single && x.answer === gone.key) x.answer = undefined;
                      if (x.answers) x.answers = x.answers.filter((a) => a !== gone.key);
                    }, true)
                  }
                >
                  ×
                </button>
                <FieldErrors id={`${fieldDomId(ob)}-err`} errors={oErr} />
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          className="btn btn-small"
          disabled={options.length >= 26}
          onClick={() =>
            upd((x) => {
              x.options = [...(x.options ?? []), { key: nextOptionKey(x.options ?? []), text: '' }];
            })
          }
        >
          + {t('editor.addOption')}
        </button>
        <div id={fieldDomId(`${base}.${single ? 'answer' : 'answers'}`)} tabIndex={-1}>
          <FieldErrors id={`${fieldDomId(`${base}.${single ? 'answer' : 'answers'}`)}-err`} errors={answerErrs} />
        </div>
      </fieldset>
      {single ? (
        <PointsField {...p} />
      ) : (
        <fieldset className="field" id={fieldDomId(`${base}.scoring`)} tabIndex={-1}>
          <legend>{t('editor.scoring')}</legend>
          <div className="grid-3">
            <NumberField
              label={t('editor.perCorrect')}
              field={`${base}.scoring.per_correct`}
              value={q.scoring?.per_correct}
              onChange={(v) => upd((x) => void (x.scoring = { ...(x.scoring ?? { per_correct: 1, per_wrong: 1, floor: 0 }), per_correct: v as number }))}
              errors={scoringErrs('per_correct')}
              min={0}
              step={0.5}
            />
            <NumberField
              label={t('editor.perWrong')}
              field={`${base}.scoring.per_wrong`}
              value={q.scoring?.per_wrong}
              onChange={(v) => upd((x) => void (x.scoring = { ...(x.scoring ?? { per_correct: 1, per_wrong: 1, floor: 0 }), per_wrong: v as number }))}
              errors={scoringErrs('per_wrong')}
              min={0}
              step={0.5}
            />
            <NumberField
              label={t('editor.floor')}
              field={`${base}.scoring.floor`}
              value={q.scoring?.floor}
              onChange={(v) => upd((x) => void (x.scoring = { ...(x.scoring ?? { per_correct: 1, per_wrong: 1, floor: 0 }), floor: v as number }))}
              errors={scoringErrs('floor')}
              min={0}
              step={0.5}
            />
          </div>
          <p className="hint">{t('editor.scoringHint')}</p>
          <FieldErrors id={`${fieldDomId(`${base}.scoring`)}-err`} errors={errs('scoring')} />
        </fieldset>
      )}
    </>
  );
}

function FillInBody({ t, q, base, errs, upd }: BodyProps) {
  const blanks = q.blanks ?? [];
  const placeholders = countPlaceholders(q.prompt);
  return (
    <div className="blanks" id={fieldDomId(`${base}.blanks`)} tabIndex={-1}>
      <FieldErrors id={`${fieldDomId(`${base}.blanks`)}-err`} errors={errs('blanks')} />
      {placeholders !== blanks.length ? (
        <p className="hint warn" role="status">
          {t('editor.blankMismatch', { p: placeholders, b: blanks.length })}
        </p>
      ) : null}
      {blanks.map((b, bi) => {
        const bb = `blanks[${bi}]`;
        return (
          <fieldset key={bi} className="blank-editor" id={fieldDomId(`${base}.${bb}`)} tabIndex={-1}>
            <legend>{t('editor.blank', { n: bi + 1 })}</legend>
            <FieldErrors id={`${fieldDomId(`${base}.${bb}`)}-err`} errors={errs(bb)} />
            <div className="grid-blank">
              <TextArea
                label={t('editor.accepted')}
                field={`${base}.${bb}.accepted`}
                value={b.accepted.join('\n')}
                onChange={(v) => upd((x) => void (x.blanks![bi].accepted = parseLines(v)))}
                errors={errs(`${bb}.accepted`)}
                hint={t('editor.acceptedHint')}
                rows={Math.max(2, b.accepted.length)}
              />
              <div>
                <NumberField
                  label={t('editor.points')}
                  field={`${base}.${bb}.points`}
                  value={b.points}
                  onChange={(v) => upd((x) => void (x.blanks![bi].points = v as number))}
                  errors={errs(`${bb}.points`)}
                  min={0}
                  step={0.5}
                />
                <Checkbox
                  label={t('editor.caseSensitive')}
                  field={`${base}.${bb}.case_sensitive`}
                  checked={!!b.case_sensitive}
                  onChange={(v) => upd((x) => void (x.blanks![bi].case_sensitive = v))}
                />
                <button
                  type="button"
                  className="btn btn-small btn-ghost btn-danger-text"
                  onClick={() => upd((x) => void x.blanks!.splice(bi, 1), true)}
                  aria-label={t('editor.removeBlank', { n: bi + 1 })}
                >
                  {t('common.remove')}
                </button>
              </div>
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() =>
          upd((x) => {
            const n = (x.blanks ?? []).length + 1;
            x.blanks = [...(x.blanks ?? []), { accepted: [''], points: 1 }];
            if (countPlaceholders(x.prompt) < n) x.prompt = `${x.prompt}{{${n}}}`;
          })
        }
      >
        + {t('editor.addBlank')}
      </button>
    </div>
  );
}

function EssayBody(p: BodyProps) {
  const { t, q, base, errs, upd } = p;
  const rubric = q.rubric ?? [];
  const sum = rubric.reduce((a, r) => a + (Number.isFinite(r.points) ? r.points : 0), 0);
  return (
    <>
      <PointsField {...p} />
      <TextArea
        label={t('editor.referenceAnswer')}
        field={`${base}.reference_answer`}
        value={q.reference_answer ?? ''}
        onChange={(v) => upd((x) => void (x.reference_answer = v))}
        errors={errs('reference_answer')}
        rows={3}
      />
      <fieldset className="field" id={fieldDomId(`${base}.rubric`)} tabIndex={-1}>
        <legend>{t('editor.rubric')}</legend>
        <FieldErrors id={`${fieldDomId(`${base}.rubric`)}-err`} errors={errs('rubric')} />
        {rubric.length ? (
          <ol className="rubric-list">
            {rubric.map((r, ri) => (
              <li key={ri} className="rubric-row">
                <TextField
                  label={t('editor.criterion', { n: ri + 1 })}
                  field={`${base}.rubric[${ri}].criterion`}
                  value={r.criterion}
                  onChange={(v) => upd((x) => void (x.rubric![ri].criterion = v))}
                  errors={[...(errs(`rubric[${ri}]`) ?? []), ...(errs(`rubric[${ri}].criterion`) ?? [])]}
                />
                <NumberField
                  label={t('editor.points')}
                  field={`${base}.rubric[${ri}].points`}
                  className="narrow-field"
                  value={r.points}
                  onChange={(v) => upd((x) => void (x.rubric![ri].points = v as number))}
                  errors={errs(`rubric[${ri}].points`)}
                  min={0}
                  step={0.5}
                />
                <button
                  type="button"
                  className="btn btn-small btn-ghost btn-danger-text"
                  onClick={() => upd((x) => void x.rubric!.splice(ri, 1), true)}
                  aria-label={t('editor.removeCriterion', { n: ri + 1 })}
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
        ) : null}
        <p className="hint">{t('editor.rubricSum', { sum: formatScore(sum), max: formatScore(q.points ?? 0) })}</p>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => upd((x) => void (x.rubric = [...(x.rubric ?? []), { criterion: '', points: 1 }]))}
        >
          + {t('editor.addCriterion')}
        </button>
      </fieldset>
    </>
  );
}
