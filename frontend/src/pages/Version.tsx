import { useMemo, useState } from 'react';
import { ExportMenu } from './editor/ExportMenu';
import { useI18n, useStaff } from '../context';
import type { T } from '../context';
import { groupProblems, problemSentences } from '../lib/problems';
import { Link, useLocation } from '../lib/router';
import { firstNumbers } from '../lib/numbering';
import { displayPrompt } from './Attempt';
import type { KeyChange, Question, RegradeResponse } from '../lib/types';
import {
  Checkbox,
  ErrorMessage,
  FieldErrors,
  Loading,
  Notice,
  TextArea,
  formatDateTime,
  formatScore,
  useAsync,
  usePageTitle,
  PageHeader,
  DataTable,
} from '../components/ui';

/** The key of a question, readable. */
export function formatKey(t: T, q: Question | null, key: unknown): string {
  if (key === null || key === undefined) return '—';
  const k = key as { answer?: unknown; answers?: unknown; blanks?: unknown };
  const val = typeof key === 'object' && !Array.isArray(key) ? (k.answer ?? k.answers ?? k.blanks ?? key) : key;
  if (typeof val === 'boolean') return val ? t('common.true') : t('common.false');
  const optText = (x: string) => {
    const o = q?.options?.find((y) => y.key === x);
    return o ? `${x}. ${o.text}` : x;
  };
  if (typeof val === 'string') return optText(val);
  if (Array.isArray(val)) {
    if (val.every((x) => typeof x === 'string')) return (val as string[]).map(optText).join('; ');
    return (val as { accepted?: string[] }[])
      .map((b, i) => `${t('editor.blank', { n: i + 1 })}: ${(b.accepted ?? []).join(' / ')}`)
      .join('; ');
  }
  return JSON.stringify(val);
}

function currentKey(q: Question): KeyChange | null {
  switch (q.type) {
    case 'true_false':
    case 'single_choice':
      return q.answer === undefined ? null : { answer: q.answer };
    case 'multiple_choice':
      return { answers: q.answers ?? [] };
    case 'fill_in':
      return { blanks: q.blanks ?? [] };
    default:
      return null;
  }
}

export function VersionPage({ examId, version }: { examId: string; version: number }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const v = useAsync(() => api.getVersion(examId, version), [api, examId, version]);
  const results = useAsync(() => api.results(examId), [api, examId]);
  usePageTitle(`${t('exams.version', { n: version })} · ${v.data?.exam.title ?? ''}`);
  const names = useMemo(
    () =>
      new Map(
        (results.data?.items ?? []).flatMap((r) => (r.attempt_id ? [[r.attempt_id, r.candidate_name] as [string, string]] : [])),
      ),
    [results.data],
  );

  const questions = useMemo(() => {
    const m = new Map<string, Question>();
    v.data?.exam.sections.forEach((s) => s.questions.forEach((q) => q.id && m.set(q.id, q)));
    return m;
  }, [v.data]);

  if (v.loading && !v.data) {
    return (
      <section className="page">
        <Loading />
      </section>
    );
  }
  if (!v.data) {
    return (
      <section className="page">
        <ErrorMessage error={v.error} />
      </section>
    );
  }
  const doc = v.data.exam;
  const starts = firstNumbers(doc.sections);
  return (
    <section className="page">
      <PageHeader
        crumbs={
          <>
            <Link to="/exams">{t('nav.exams')}</Link> / <Link to={`/exams/${examId}/results`}>{t('results.title')}</Link>
          </>
        }
        title={
          <>
            {doc.title} · {t('exams.version', { n: version })}
          </>
        }
        sub={<p className="muted">{t('version.published', { at: formatDateTime(v.data.published_at, lang) })}</p>}
        actions={<ExportMenu examId={examId} version={version} />}
      />
      <Notice>{t('version.intro')}</Notice>

      {v.data.amendments?.length ? (
        <div className="card">
          <h2>{t('version.amendments')}</h2>
          <DataTable
            columns={[
              { label: t('version.when') },
              { label: t('version.question') },
              { label: t('version.oldKey') },
              { label: t('version.newKey') },
              { label: t('version.by') },
              { label: t('amendx.reason') },
            ]}
          >
                {v.data.amendments.map((a, i) => {
                  const q = questions.get(a.question_id) ?? null;
                  return (
                    <tr key={i}>
                      <td>{formatDateTime(a.at, lang)}</td>
                      <td>{q?.prompt ?? a.question_id}</td>
                      <td>{formatKey(t, q, a.old_key)}</td>
                      <td>{formatKey(t, q, a.new_key)}</td>
                      <td data-testid="amended-by">{a.by_name || a.by}</td>
                      <td data-testid="amend-reason">{a.reason || '—'}</td>
                    </tr>
                  );
                })}
          </DataTable>
        </div>
      ) : null}

      {doc.sections.map((s, si) => (
        <div className="card" key={s.id ?? si}>
          <h2>{s.title || t('editor.section', { n: si + 1 })}</h2>
          {s.instructions ? <p className="muted">{s.instructions}</p> : null}
          <ol className="answer-list">
            {s.questions.map((q, qi) => {
              const qn = starts[si] + qi;
              return (
                <li key={q.id} value={qn} className="answer-item">
                  <p className="prompt">{q.type === 'fill_in' ? displayPrompt(q.prompt) : q.prompt}</p>
                  <p className="muted small">
                    {t(`qtype.${q.type}`)}
                    {q.tracks?.length ? ` · ${q.tracks.join(', ')}` : ''}
                  </p>
                  {q.type !== 'essay' ? (
                    <>
                      <p>
                        <strong>{t('version.key')}:</strong> <span data-testid="key">{formatKey(t, q, currentKey(q))}</span>
                      </p>
                      <KeyAmender
                        examId={examId}
                        version={version}
                        q={q}
                        names={names}
                        onDone={() => {
                          v.reload();
                          results.reload();
                        }}
                      />
                    </>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </div>
      ))}
    </section>
  );
}

function KeyAmender({
  examId,
  version,
  q,
  names,
  onDone,
}: {
  examId: string;
  version: number;
  q: Question;
  names: Map<string, string>;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  // ?amend=<question id> (the results page's link for a suspicious key)
  // opens this question's amendment form straight away.
  const { search } = useLocation();
  const [open, setOpen] = useState(search.get('amend') === q.id);
  const [answer, setAnswer] = useState<boolean | string | undefined>(q.answer);
  const [answers, setAnswers] = useState<string[]>(q.answers ?? []);
  const [blanks, setBlanks] = useState<string[]>((q.blanks ?? []).map((b) => b.accepted.join('\n')));
  const [preview, setPreview] = useState<RegradeResponse | null>(null);
  const [done, setDone] = useState<RegradeResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);

  const body = (): KeyChange => {
    switch (q.type) {
      case 'multiple_choice':
        return { answers };
      case 'fill_in':
        return {
          blanks: (q.blanks ?? []).map((b, i) => ({
            ...b,
            accepted: (blanks[i] ?? '')
              .split('\n')
              .map((x) => x.trim())
              .filter(Boolean),
          })),
        };
      default:
        return { answer: answer as boolean | string };
    }
  };

  const run = async (dry: boolean) => {
    // A real amendment changes candidates' scores: it must say why.
    if (!dry && !reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setReasonMissing(false);
    setBusy(true);
    setError(null);
    try {
      const r = await api.amendKey(examId, version, q.id as string, body(), dry, dry ? undefined : reason.trim());
      if (dry) setPreview(r);
      else {
        setDone(r);
        setPreview(null);
        setOpen(false);
        onDone();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const edited = () => {
    setPreview(null);
    setDone(null);
  };
  // Problems beside the blank or the reason they are about; the rest (the
  // answer, a question without a key) as whole sentences under the form.
  const problems = groupProblems(lang, error);
  const blankErrs = (i: number) => [...(problems.get(`blanks[${i}]`) ?? []), ...(problems.get(`blanks[${i}].accepted`) ?? [])];
  const shown = ['reason', ...(q.type === 'fill_in' ? (q.blanks ?? []).flatMap((_, i) => [`blanks[${i}]`, `blanks[${i}].accepted`]) : [])];
  const details = problemSentences(lang, error, {}, shown);
  const name = `amend-${q.id}`;

  if (!open) {
    return (
      <div>
        {done ? (
          <Notice kind="success">{t('version.applied', { n: done.regraded, c: done.changed.length })}</Notice>
        ) : null}
        <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
          {t('version.amend')}
        </button>
      </div>
    );
  }

  return (
    <div className="amend card-inset">
      <h3>{t('version.newKeyFor')}</h3>
      {q.type === 'true_false' || q.type === 'single_choice' ? (
        <fieldset className="field">
          <legend>{t('editor.correctAnswer')}</legend>
          <div className="checks">
            {(q.type === 'true_false'
              ? [
                  { v: true as boolean | string, label: t('common.true') },
                  { v: false as boolean | string, label: t('common.false') },
                ]
              : (q.options ?? []).map((o) => ({ v: o.key as boolean | string, label: `${o.key}. ${o.text}` }))
            ).map((o) => (
              <div className="check" key={String(o.v)}>
                <input
                  type="radio"
                  id={`${name}-${String(o.v)}`}
                  name={name}
                  checked={answer === o.v}
                  onChange={() => {
                    setAnswer(o.v);
                    edited();
                  }}
                />
                <label htmlFor={`${name}-${String(o.v)}`}>{o.label}</label>
              </div>
            ))}
          </div>
        </fieldset>
      ) : null}
      {q.type === 'multiple_choice' ? (
        <fieldset className="field">
          <legend>{t('editor.optionsMultiple')}</legend>
          <div className="checks">
            {(q.options ?? []).map((o) => (
              <Checkbox
                key={o.key}
                label={`${o.key}. ${o.text}`}
                checked={answers.includes(o.key)}
                onChange={(c) => {
                  setAnswers((xs) => (q.options ?? []).map((y) => y.key).filter((k) => (k === o.key ? c : xs.includes(k))));
                  edited();
                }}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      {q.type === 'fill_in'
        ? (q.blanks ?? []).map((_, i) => (
            <TextArea
              key={i}
              label={`${t('editor.blank', { n: i + 1 })} · ${t('editor.accepted')}`}
              hint={t('editor.acceptedHint')}
              value={blanks[i] ?? ''}
              errors={blankErrs(i).length ? blankErrs(i) : undefined}
              rows={2}
              onChange={(v) => {
                setBlanks((xs) => xs.map((x, j) => (j === i ? v : x)));
                edited();
              }}
            />
          ))
        : null}
      <TextArea
        label={t('amendx.reason')}
        hint={t('amendx.reasonHint')}
        value={reason}
        rows={2}
        onChange={(v) => {
          setReason(v);
          if (v.trim()) setReasonMissing(false);
        }}
        errors={reasonMissing ? [t('amendx.reasonRequired')] : problems.get('reason')}
        required
      />
      <ErrorMessage error={error} />
      <FieldErrors id={`${name}-err`} errors={details} />
      {preview ? (
        <div className="diff" aria-live="polite">
          <h4>{t('version.preview', { n: preview.regraded, c: preview.changed.length })}</h4>
          {preview.changed.length ? (
            <DataTable
              columns={[{ label: t('version.candidate') }, { label: t('version.oldScore'), num: true }, { label: t('version.newScore'), num: true }]}
            >
                  {preview.changed.map((c) => (
                    <tr key={c.attempt_id}>
                      <td>
                        <Link to={`/attempts/${c.attempt_id}?exam=${encodeURIComponent(examId)}`}>{names.get(c.attempt_id) ?? c.attempt_id}</Link>
                      </td>
                      <td className="num">{formatScore(c.old_score)}</td>
                      <td className="num">
                        {formatScore(c.new_score)}{' '}
                        <span className={c.new_score > c.old_score ? 'up' : 'down'}>
                          ({c.new_score > c.old_score ? '+' : ''}
                          {formatScore(c.new_score - c.old_score)})
                        </span>
                      </td>
                    </tr>
                  ))}
            </DataTable>
          ) : null}
        </div>
      ) : null}
      <div className="button-row">
        <button type="button" className="btn" onClick={() => setOpen(false)} disabled={busy}>
          {t('common.cancel')}
        </button>
        {preview ? (
          <button type="button" className="btn btn-primary" onClick={() => run(false)} disabled={busy}>
            {busy ? t('common.working') : t('version.confirm')}
          </button>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => run(true)} disabled={busy}>
            {busy ? t('common.working') : t('version.dryRun')}
          </button>
        )}
      </div>
    </div>
  );
}
