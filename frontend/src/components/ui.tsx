// Small shared pieces: labelled form fields with their errors, error
// messages, dialogs, loading states.

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';
import { useI18n, useStaff, useT } from '../context';
import type { FieldProblem } from '../lib/http';
import { hasKey } from '../lib/i18n';
import type { MessageKey } from '../lib/i18n';
import { fieldDomId, fieldKey } from '../lib/fieldpath';
import { charCount } from '../lib/limits';
import { Link } from '../lib/router';

export { ConfirmDialog, ErrorMessage, LangSwitch, Loading, errorText, formatDateTime, formatScore, useModal, usePageTitle } from './base';
import { ErrorMessage, formatScore, usePageTitle } from './base';

export function Notice({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' | 'warn' }) {
  return (
    <div className={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}

/** Lists a 422's problems, each a link to its field. */
export function ErrorSummary({
  problems,
  title,
  describe,
}: {
  problems: FieldProblem[];
  title?: string;
  /** A problem in people's words (e.g. lib/problems.ts); by default the path and the server's message. */
  describe?: (p: FieldProblem) => string;
}) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) ref.current?.focus();
  }, [problems]);
  if (!problems.length) return null;
  return (
    <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2>{title ?? t('form.problems', { n: problems.length })}</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <a
              href={`#${fieldDomId(fieldKey(p.field))}`}
              onClick={(e) => {
                e.preventDefault();
                focusField(fieldKey(p.field));
              }}
            >
              {describe ? (
                describe(p)
              ) : (
                <>
                  {p.field ? <code>{p.field}</code> : null} {p.message}
                </>
              )}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Focuses the input of a field key, or the nearest enclosing one that exists. */
export function focusField(key: string): void {
  let k = key;
  while (k) {
    const el = document.getElementById(fieldDomId(k));
    if (el) {
      el.scrollIntoView({ block: 'center' });
      (el as HTMLElement).focus({ preventScroll: true });
      return;
    }
    const cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
    k = cut > 0 ? k.slice(0, cut) : '';
  }
}

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div className="field-errors" id={id}>
      {errors.map((e, i) => (
        <p key={i}>{e}</p>
      ))}
    </div>
  );
}

interface FieldBase {
  label: ReactNode;
  errors?: string[];
  hint?: ReactNode;
  /** A field key (document path): gives the DOM id errors link to. */
  field?: string;
  className?: string;
}

function useFieldIds(field?: string) {
  const auto = useId();
  const id = field ? fieldDomId(field) : `f${auto.replace(/:/g, '')}`;
  return { id, errId: `${id}-err`, hintId: `${id}-hint` };
}

function describedBy(hasHint: boolean, hasErr: boolean, hintId: string, errId: string) {
  const ids = [hasHint ? hintId : '', hasErr ? errId : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** A field's control's id and ARIA state: invalid with problems, described by its hint and its problems. */
function useControl(field: string | undefined, hint: ReactNode, errors: string[] | undefined) {
  const { id, errId, hintId } = useFieldIds(field);
  const bad = !!errors?.length;
  return { id, 'aria-invalid': bad || undefined, 'aria-describedby': describedBy(!!hint, bad, hintId, errId) };
}

/**
 * The frame every labelled field shares: the label, the control(s) given as
 * children, then the hint and the field's problems under it.
 */
function FieldFrame({
  id,
  label,
  className,
  hint,
  errors,
  children,
}: {
  id: string;
  label: ReactNode;
  className?: string;
  hint?: ReactNode;
  errors?: string[];
  children: ReactNode;
}) {
  const bad = !!errors?.length;
  return (
    <div className={`field ${bad ? 'field-bad' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-err`} errors={errors} />
    </div>
  );
}

type TextProps = FieldBase & {
  value: string;
  onChange: (v: string) => void;
  /**
   * The form's problems by field path (groupProblems): the field shows
   * those of its own `field`, so no page picks them out by hand.
   */
  problems?: Map<string, string[]>;
  /** The server's maximum in characters (lib/limits): shows a count. */
  maxLength?: number;
};

/**
 * The one text field of the app: a label, an optional hint, the problems
 * of its field path, and a character count where the server has a limit.
 * `multiline` makes it a textarea; everything else is the same.
 */
function TextControl(
  props: TextProps &
    (
      | ({ multiline?: false } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'maxLength'>)
      | ({ multiline: true } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange' | 'maxLength'>)
    ),
) {
  const { label, errors, problems, hint, field, className, value, onChange, maxLength, multiline, ...rest } = props;
  const shown = errors ?? (field ? problems?.get(field) : undefined);
  const aria = useControl(field, hint, shown);
  const { id } = aria;
  const countId = `${id}-count`;
  const count = maxLength !== undefined ? charCount(value) : 0;
  const control = {
    ...aria,
    value,
    maxLength,
    'aria-describedby': [aria['aria-describedby'], maxLength !== undefined ? countId : ''].filter(Boolean).join(' ') || undefined,
  };
  return (
    <FieldFrame id={id} label={label} className={className} hint={hint} errors={shown}>
      {multiline ? (
        <textarea
          {...control}
          onChange={(e) => onChange(e.target.value)}
          {...(rest as TextareaHTMLAttributes<HTMLTextAreaElement>)}
        />
      ) : (
        <input
          {...control}
          onChange={(e) => onChange(e.target.value)}
          {...(rest as InputHTMLAttributes<HTMLInputElement>)}
        />
      )}
      {maxLength !== undefined ? (
        <p className={`char-count ${count >= maxLength ? 'char-count-full' : ''}`} id={countId}>
          {count} / {maxLength}
        </p>
      ) : null}
    </FieldFrame>
  );
}

/**
 * The busy flag and error of a form's submit. run(fn) clears the last
 * error, holds busy while fn runs and keeps what fn throws as the error.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/**
 * The end of a form: the request's error, the problems no field shows
 * (under id), anything the form adds (children) and the submit button,
 * which says "working" while busy.
 */
export function FormEnd({
  id,
  error,
  problems,
  busy,
  label,
  block,
  children,
}: {
  id: string;
  error: unknown;
  problems: string[];
  busy: boolean;
  label: string;
  block?: boolean;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <ErrorMessage error={error} />
      <FieldErrors id={id} errors={problems} />
      {children}
      <button type="submit" className={`btn btn-primary${block ? ' btn-block' : ''}`} disabled={busy}>
        {busy ? t('common.working') : label}
      </button>
    </>
  );
}

/**
 * The end of an edit form: the request's error when no field shows a
 * problem (problems: how many fields do), then its submit and cancel
 * buttons, both off while busy.
 */
export function SaveOrCancel({
  error,
  problems,
  busy,
  label,
  onCancel,
}: {
  error: unknown;
  problems: number;
  busy: boolean;
  label: string;
  onCancel: () => void;
}) {
  const t = useT();
  return (
    <>
      {problems === 0 ? <ErrorMessage error={error} /> : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {label}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </>
  );
}

export function TextField(
  props: TextProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'maxLength'>,
) {
  return <TextControl {...props} multiline={false} />;
}

export function TextArea(
  props: TextProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange' | 'maxLength'>,
) {
  return <TextControl {...props} multiline />;
}

/**
 * The password of the login, sign-up and new-user forms; a new one (isNew)
 * is filled in as a new password and says how long it must be.
 */
export function PasswordField({
  isNew = false,
  ...props
}: Omit<TextProps, 'label' | 'field'> & { isNew?: boolean; required?: boolean }) {
  const t = useT();
  return (
    <TextField
      label={t('auth.password')}
      field="password"
      type="password"
      autoComplete={isNew ? 'new-password' : 'current-password'}
      hint={isNew ? t('auth.passwordHint') : undefined}
      {...props}
    />
  );
}

/**
 * A number input that lets the person type freely ("", "1.", "-") and
 * reports a number, or undefined while the text is not one.
 */
export function NumberField(
  props: FieldBase & {
    value: number | undefined;
    onChange: (v: number | undefined) => void;
    min?: number;
    max?: number;
    step?: number | 'any';
    required?: boolean;
    inputClassName?: string;
  },
) {
  const { label, errors, hint, field, className, value, onChange, min, max, step, required, inputClassName } = props;
  const control = useControl(field, hint, errors);
  const [text, setText] = useState(value === undefined || Number.isNaN(value) ? '' : String(value));
  // Follow changes from outside (e.g. the server's copy after a save): when
  // the value changes to one the text does not already say, show it. Done
  // while rendering (React's "adjusting state when a prop changes"), so the
  // stale text is never painted.
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    const cur = text.trim() === '' ? undefined : Number(text);
    if (cur !== value && !(cur === undefined && value === undefined)) {
      setText(value === undefined || Number.isNaN(value) ? '' : String(value));
    }
  }
  return (
    <FieldFrame id={control.id} label={label} className={className} hint={hint} errors={errors}>
      <input
        {...control}
        className={inputClassName}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step}
        required={required}
        onChange={(e) => {
          setText(e.target.value);
          const v = e.target.value.trim() === '' ? undefined : Number(e.target.value);
          onChange(v === undefined || Number.isNaN(v) ? undefined : v);
        }}
      />
    </FieldFrame>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
  field,
  className,
  hint,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (v: boolean) => void;
  field?: string;
  className?: string;
  hint?: ReactNode;
}) {
  const { id, hintId } = useFieldIds(field);
  return (
    <div className={`check ${className ?? ''}`}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? hintId : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function SelectField<V extends string>({
  label,
  value,
  onChange,
  options,
  errors,
  field,
  className,
  hint,
}: FieldBase & {
  value: V;
  onChange: (v: V) => void;
  options: { value: V; label: string }[];
}) {
  const control = useControl(field, hint, errors);
  return (
    <FieldFrame id={control.id} label={label} className={className} hint={hint} errors={errors}>
      <select {...control} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/**
 * The start of a staff page whose title is the message titleKey: sets the
 * document's title and gives the language (t, lang) and the staff session
 * (api, user).
 */
export function useStaffPage(titleKey: MessageKey) {
  const i18n = useI18n();
  usePageTitle(i18n.t(titleKey));
  return { ...i18n, ...useStaff() };
}

/**
 * Fetches now and whenever deps change, handing the result to take and an
 * error to fail; a response for deps no longer current is dropped. Returns
 * a load that fetches again at once, for after a change the page made.
 */
export function useLoad<V>(fetch: () => Promise<V>, deps: unknown[], take: (v: V) => void, fail: (err: unknown) => void) {
  useEffect(() => {
    let alive = true;
    fetch().then(
      (v) => alive && take(v),
      (err) => alive && fail(err),
    );
    return () => {
      alive = false;
    };
    // The deps are the caller's (a refresh count may be among them, so they
    // are more than fetch reads); fetch, take and fail are new closures
    // every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return async () => {
    try {
      take(await fetch());
    } catch (err) {
      fail(err);
    }
  };
}

/**
 * The choice of one of an exam's tracks, each shown by its name; nothing
 * when the exam has no tracks. Given all, a first choice '' labelled so
 * stands for every track.
 */
export function TrackSelect({
  tracks,
  trackName,
  all,
  ...props
}: FieldBase & { value: string; onChange: (v: string) => void; tracks: string[]; trackName: (track: string) => string; all?: string }) {
  if (!tracks.length) return null;
  const choices = tracks.map((x) => ({ value: x, label: trackName(x) }));
  return <SelectField {...props} options={all === undefined ? choices : [{ value: '', label: all }, ...choices]} />;
}

/** Loads data once per dependency change, with reload and error. */
export function useAsync<V>(fn: () => Promise<V>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: V; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // New deps (or a reload): loading again, keeping the data shown so far.
  // Set while rendering, not in the effect, so no render shows the old
  // state as current.
  const key = [...deps, tick];
  const [loadedFor, setLoadedFor] = useState(key);
  if (key.length !== loadedFor.length || key.some((k, i) => !Object.is(k, loadedFor[i]))) {
    setLoadedFor(key);
    setState((s) => ({ ...s, loading: true, error: undefined }));
  }
  useEffect(() => {
    let alive = true;
    fn().then(
      (data) => alive && setState({ data, loading: false }),
      (error) => alive && setState({ error, loading: false }),
    );
    return () => {
      alive = false;
    };
    // The deps are the caller's (checked at each call by exhaustive-deps'
    // additionalHooks in eslint.config.js); fn is a new closure every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, key);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  const setData = useCallback((data: V) => setState({ data, loading: false }), []);
  return { ...state, reload, setData };
}

/** Copies text, with a fallback for pages not served over https. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok: boolean;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(ta);
  return ok;
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT();
  const [done, setDone] = useState<boolean | null>(null);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={async () => {
        setDone(await copyText(text));
        setTimeout(() => setDone(null), 2000);
      }}
    >
      {done === true ? t('common.copied') : done === false ? t('common.copyFailed') : (label ?? t('common.copy'))}
    </button>
  );
}

/** One fact of a definition list (<dl>): its name over its value. */
export function Fact({ label, testId, children }: { label: ReactNode; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const k = `status.${status}`;
  return <span className={`badge badge-${status}`}>{hasKey(k) ? t(k) : status}</span>;
}

/**
 * An attempt's score in large type, over its maximum, with its status and
 * whether it passed (nothing while that is not decided). The attempt page
 * and the printable report show it alike.
 */
export function ScoreBig({
  score,
  max,
  status,
  passed,
  label,
  testId,
  valueTestId,
}: {
  score: number | null | undefined;
  max: number | null | undefined;
  status: string;
  passed: boolean | null | undefined;
  label?: string;
  testId?: string;
  valueTestId?: string;
}) {
  const t = useT();
  return (
    <div className="score-big" aria-label={label} data-testid={testId}>
      <span className="score-value" data-testid={valueTestId}>{formatScore(score)}</span>
      <span className="score-max">/ {formatScore(max)}</span>
      <div>
        <StatusBadge status={status} />{' '}
        {passed === null || passed === undefined ? null : (
          <span className={`badge ${passed ? 'badge-graded' : 'badge-revoked'}`}>{passed ? t('attempt.passed') : t('attempt.failed')}</span>
        )}
      </div>
    </div>
  );
}

/**
 * The head of a page: crumbs above the title, an optional line under it, and
 * on the right either buttons (`actions`, in a `nav` when `actionsLabel` names
 * them) or other content (`aside`).
 */
export function PageHeader({
  crumbs,
  title,
  sub,
  actions,
  actionsLabel,
  aside,
}: {
  crumbs?: ReactNode;
  title: ReactNode;
  sub?: ReactNode;
  actions?: ReactNode;
  actionsLabel?: string;
  aside?: ReactNode;
}) {
  return (
    <div className="page-head">
      <div>
        {crumbs ? <p className="crumbs">{crumbs}</p> : null}
        <h1>{title}</h1>
        {sub}
      </div>
      {actions ? (
        actionsLabel ? (
          <nav className="head-actions" aria-label={actionsLabel}>
            {actions}
          </nav>
        ) : (
          <div className="head-actions">{actions}</div>
        )
      ) : null}
      {aside}
    </div>
  );
}

/** The crumbs of an exam's pages: the exam list, then the exam (its title once known). */
export function ExamCrumbs({ examId, title }: { examId: string; title: string | undefined }) {
  const t = useT();
  return (
    <>
      <Link to="/exams">{t('nav.exams')}</Link> / <Link to={`/exams/${examId}`}>{title ?? '…'}</Link>
    </>
  );
}

const EXAM_PAGES = {
  edit: { path: '', label: 'exams.edit' },
  invitations: { path: '/invitations', label: 'exams.invitations' },
  results: { path: '/results', label: 'exams.results' },
} as const;

/** Small buttons to an exam's pages (the editor, invitations, results), in the order given. */
export function ExamLinks({ examId, pages }: { examId: string; pages: (keyof typeof EXAM_PAGES)[] }) {
  const t = useT();
  return (
    <>
      {pages.map((p) => (
        <Link key={p} to={`/exams/${examId}${EXAM_PAGES[p].path}`} className="btn btn-small">
          {t(EXAM_PAGES[p].label)}
        </Link>
      ))}
    </>
  );
}

/** A column of DataTable: its header, right-aligned numbers, or a header read only by screen readers. */
export interface Column {
  label: ReactNode;
  num?: boolean;
  srOnly?: boolean;
}

/** A table's header row: a column header each (`false` leaves a column out). */
export function TableHead({ columns }: { columns: (Column | false)[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) =>
          c ? (
            <th key={i} scope="col" className={c.num ? 'num' : undefined}>
              {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
            </th>
          ) : null,
        )}
      </tr>
    </thead>
  );
}

/** Plain column headers, for TableHead. */
export const columnsOf = (labels: ReactNode[]): Column[] => labels.map((label) => ({ label }));

/**
 * A table in its scrolling wrapper, with one header row of column headers
 * (`false` leaves a column out) and the rows as children.
 */
export function DataTable({
  columns,
  caption,
  className,
  testId,
  children,
}: {
  columns: (Column | false)[];
  caption?: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <TableHead columns={columns} />
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
