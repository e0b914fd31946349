// The shared pieces the candidate's page uses too (error texts, the
// confirmation dialog, loading, the language switch, date and score
// formats). They are in the entry chunk; ui.tsx re-exports them beside the
// staff pages' form fields and tables, which stay out of it.

import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { useI18n, useT } from '../lang';
import type { T } from '../lang';
import { ApiError } from '../lib/http';
import { hasKey, LANGS } from '../lib/i18n';
import type { Lang } from '../lib/i18n';

const VAGUE = new Set(['conflict', 'bad_request', 'forbidden', 'payload_too_large']);

/** A person-readable text for any error, in the current language. */
export function errorText(t: T, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.isNetwork) return t('error.network');
    const k = `error.${err.code}`;
    if (hasKey(k)) {
      const base = t(k);
      // For the vaguer codes, the server's own words say what is wrong.
      return err.message && VAGUE.has(err.code) && !base.includes(err.message) ? `${base} (${err.message})` : base;
    }
    return err.message || t('error.unknown');
  }
  if (err instanceof Error) return err.message;
  return t('error.unknown');
}

export function ErrorMessage({ error, className }: { error: unknown; className?: string }) {
  const t = useT();
  if (!error) return null;
  return (
    <div className={`alert alert-error ${className ?? ''}`} role="alert">
      {errorText(t, error)}
    </div>
  );
}

/**
 * The ref of a <dialog> shown as a modal while open (given the open
 * attribute where showModal is missing) and closed when open turns false.
 */
export function useModal(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);
  return ref;
}

/** A modal confirmation built on <dialog>: focus is trapped and Esc cancels. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  busy,
  danger,
  confirmDisabled,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
  /** The confirm button stays off (e.g. until a warning is accepted). */
  confirmDisabled?: boolean;
}) {
  const ref = useModal(open);
  const titleId = useId();
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
          onClick={onConfirm}
          disabled={busy || confirmDisabled}
          autoFocus
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {t('common.loading')}
    </p>
  );
}

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · examd` : 'examd';
  }, [title]);
}

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch">
      <label htmlFor="lang-select" className="sr-only">
        {t('common.language')}
      </label>
      <select id="lang-select" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {l === 'zh-CN' ? '中文' : 'English'}
          </option>
        ))}
      </select>
    </div>
  );
}

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
