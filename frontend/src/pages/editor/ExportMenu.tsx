// The Export menu: the saved draft (GET /exams/{id}/export) or a frozen
// version (…/versions/{n}/export) in one of five formats, saved under the
// server's file name. The token goes in the Authorization header, never the URL.

import { useId, useState } from 'react';
import { useI18n, useStaff } from '../../context';
import { ErrorMessage } from '../../components/ui';
import { saveResponse } from '../../lib/download';
import { EXPORT_FORMATS, fallbackExportName } from '../../lib/imports';
import type { ExportFormat } from '../../lib/imports';

export function ExportMenu({ examId, version, unsaved }: { examId: string; version?: number; unsaved?: boolean }) {
  const { t } = useI18n();
  const { api } = useStaff();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const menuId = useId();

  const run = async (f: ExportFormat) => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const res = version ? await api.exportVersion(examId, version, f) : await api.exportExam(examId, f);
      setDone(await saveResponse(res, fallbackExportName(f)));
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-menu">
      <button
        type="button"
        className="btn btn-small"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        disabled={busy}
      >
        {t('export.open')} ▾
      </button>
      {open ? (
        <div
          id={menuId}
          className="export-list card"
          role="group"
          aria-label={t('export.label')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          {unsaved ? <p className="muted small">{t('export.saveFirst')}</p> : null}
          {EXPORT_FORMATS.map((f) => (
            <button key={f} type="button" className="btn btn-small" onClick={() => run(f)} disabled={busy}>
              {t(`export.${f}`)}
            </button>
          ))}
        </div>
      ) : null}
      <span className="sr-only" aria-live="polite">
        {done ? t('export.done', { name: done }) : ''}
      </span>
      <ErrorMessage error={error} />
    </div>
  );
}
