// The import dialog: paste a paper's text or pick/drop a file, read it on the
// server (POST /imports, nothing stored), and hand the result to the editor.
// Also offers the Excel template.

import { useId, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { useI18n, useStaff } from '../../context';
import { ErrorMessage, TextArea, useModal } from '../../components/ui';
import { saveResponse } from '../../lib/download';
import { acceptedFile, IMPORT_ACCEPT } from '../../lib/imports';
import type { ImportResult } from '../../lib/imports';

export function ImportDialog({ onImported, onClose }: { onImported: (r: ImportResult) => void; onClose: () => void }) {
  const { t } = useI18n();
  const { api } = useStaff();
  const ref = useModal(true);
  const titleId = useId();
  const introId = useId();
  const fileId = useId();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [over, setOver] = useState(false);


  const take = (f: File | undefined | null) => {
    if (!f) return;
    if (!acceptedFile(f.name)) {
      setFile(null);
      setFileError(t('import.badFile', { name: f.name }));
      return;
    }
    setFileError('');
    setFile(f);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files?.[0]);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file && !text.trim()) {
      setError(new Error(t('import.empty')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.importExam(file ? { file } : { text });
      onImported(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const template = async () => {
    setError(null);
    try {
      await saveResponse(await api.importTemplate(), 'examd-template.xlsx');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog import-dialog"
      aria-labelledby={titleId}
      aria-describedby={introId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{t('import.title')}</h2>
        <p id={introId} className="muted small">
          {t('import.intro')}
        </p>
        <TextArea label={t('import.paste')} rows={12} value={text} disabled={!!file} onChange={setText} data-testid="import-text" />
        <div
          className={`dropzone ${over ? 'dropzone-over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <label htmlFor={fileId}>{t('import.file')}</label>{' '}
          <input
            id={fileId}
            type="file"
            accept={IMPORT_ACCEPT}
            aria-describedby={fileError ? `${fileId}-err` : undefined}
            onChange={(e) => take(e.target.files?.[0])}
          />
          <p className="muted small">{t('import.drop')}</p>
          {file ? (
            <p className="small">
              {t('import.chosen', { name: file.name })}{' '}
              <button type="button" className="btn btn-small" onClick={() => setFile(null)}>
                {t('import.clearFile')}
              </button>
            </p>
          ) : null}
          {fileError ? (
            <p className="field-errors" id={`${fileId}-err`} role="alert">
              {fileError}
            </p>
          ) : null}
        </div>
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn btn-link" onClick={template}>
            {t('import.template')}
          </button>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            {t('import.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('import.reading') : t('import.submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
