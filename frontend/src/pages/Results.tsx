import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../context';
import { Link } from '../lib/router';
import { trackLabel } from '../lib/examModel';
import { ResultsStats } from './ResultsStats';
import type { ResultQuery } from '../lib/types';
import { parsePartSort, partChoices, partSortKey, rowPart } from '../lib/resultSort';
import {
  Checkbox,
  ErrorMessage,
  Loading,
  NumberField,
  SelectField,
  StatusBadge,
  formatDateTime,
  formatScore,
  useAsync,
  usePageTitle,
  PageHeader,
  DataTable,
  columnsOf,
  ExamCrumbs,
  ExamLinks,
  TrackSelect,
  useSubmit,
} from '../components/ui';

/** Saves a Blob under a file name through a temporary link. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function filenameFrom(res: Response, fallback: string): string {
  const cd = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

const PAGE_SIZE = 20;
const STATUSES = ['', 'graded', 'grading', 'in_progress', 'pending'] as const;
const SORTS = ['', '-score', 'score', 'name', '-submitted_at'] as const;

/** A row's score on the section or tag the list is sorted by; — when it has none. */
function PartCell({ label, part }: { label: string; part: { points_awarded: number; max_points: number } | undefined }) {
  return (
    <td className="num" data-testid="result-part" data-label={label}>
      {part ? (
        <>
          <strong>{formatScore(part.points_awarded)}</strong> / {formatScore(part.max_points)}
        </>
      ) : (
        '—'
      )}
    </td>
  );
}

/** The browser's time zone for the CSV, e.g. Asia/Shanghai. */
function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function ResultsPage({ examId }: { examId: string }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const exam = useAsync(() => api.getExam(examId), [api, examId]);
  usePageTitle(`${t('results.title')} · ${exam.data?.title ?? ''}`);
  // The CSV and Excel downloads: one busy flag and error for both.
  const { busy: csvBusy, error: csvError, run: runExport } = useSubmit();

  // The filters being edited, and those applied (which the list shows).
  const [status, setStatus] = useState<string>('');
  const [track, setTrack] = useState<string>('');
  const [sort, setSort] = useState<string>('');
  const [minScore, setMinScore] = useState<number | undefined>(undefined);
  const [notStarted, setNotStarted] = useState(true);
  const [applied, setApplied] = useState<ResultQuery>({ include: 'not_started', limit: PAGE_SIZE });
  // Cursors of the pages seen so far: [undefined, c1, c2, …]; the last is shown.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const results = useAsync(() => api.resultsPage(examId, { ...applied, cursor }), [api, examId, applied, cursor]);

  const reload = results.reload;
  useEffect(() => {
    const h = setInterval(reload, 30_000);
    return () => clearInterval(h);
  }, [reload]);

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    setApplied({
      status: status || undefined,
      track: track || undefined,
      sort: sort || undefined,
      min_score: minScore,
      include: notStarted ? 'not_started' : undefined,
      limit: PAGE_SIZE,
    });
    setCursors([undefined]);
  };

  const exportQuery = () => ({ lang: lang.startsWith('zh') ? 'zh-CN' : 'en', tz: browserZone() });

  const downloadXlsx = () =>
    runExport(async () => {
      const res = await api.resultsXlsx(examId, exportQuery());
      saveBlob(await res.blob(), filenameFrom(res, `results-${examId}.xlsx`));
    });

  const download = () =>
    runExport(async () => {
      const res = await api.resultsCsv(examId, exportQuery());
      const blob = await res.blob();
      const typed = blob.type ? blob : new Blob([blob], { type: 'text/csv;charset=utf-8' });
      saveBlob(typed, filenameFrom(res, `results-${examId}.csv`));
    });

  const items = results.data?.items ?? [];
  const next = results.data?.next_cursor ?? null;
  const versions = exam.data?.latest_version ?? 0;
  // The latest version's sections and tags: what the list can be sorted by.
  const latest = useAsync(() => (versions > 0 ? api.getVersion(examId, versions) : Promise.resolve(null)), [api, examId, versions]);
  const choices = partChoices(latest.data?.exam);
  const sortOptions = [
    ...SORTS.map((x) => ({ value: x as string, label: t(`res2.sort.${x || 'start'}`) })),
    ...choices.flatMap((c) =>
      ([true, false] as const).map((desc) => ({
        value: partSortKey(c, desc),
        label: t(`res2.sort.${c.kind}.${desc ? 'desc' : 'asc'}`, { name: c.label }),
      })),
    ),
  ];
  // Sorted by a section or a tag: its column, after the score.
  const part = parsePartSort(applied.sort);
  const partLabel = part
    ? (() => {
        const label = choices.find((c) => c.kind === part.kind && c.name === part.name)?.label ?? part.name;
        return part.kind === 'tag' ? t('res2.column.tag', { name: label }) : label;
      })()
    : '';
  const tracks = exam.data?.tracks ?? [];
  const trackName = (x: string) => trackLabel(exam.data ?? {}, x);
  const filtered = !!(applied.status || applied.track || applied.min_score !== undefined);

  return (
    <section className="page">
      <PageHeader
        crumbs={<ExamCrumbs examId={examId} title={exam.data?.title} />}
        title={t('results.title')}
        actions={
          <>
            <ExamLinks examId={examId} pages={['invitations']} />
            <button type="button" className="btn btn-small" onClick={results.reload}>
              {t('common.refresh')}
            </button>
            <button type="button" className="btn btn-small btn-primary" onClick={download} disabled={csvBusy}>
              {csvBusy ? t('common.working') : t('results.csv')}
            </button>
            <button type="button" className="btn btn-small" onClick={downloadXlsx} disabled={csvBusy} data-testid="download-xlsx">
              {t('stats.xlsx')}
            </button>
          </>
        }
      />

      <form className="card filters" onSubmit={apply} aria-label={t('res2.filters')} data-testid="result-filters">
        <SelectField
          label={t('res2.status')}
          field="filter_status"
          value={status}
          onChange={setStatus}
          options={STATUSES.map((x) => ({ value: x, label: x ? t(`status.${x}`) : t('res2.allStatuses') }))}
        />
        <TrackSelect label={t('res2.track')} field="filter_track" value={track} onChange={setTrack} tracks={tracks} trackName={trackName} all={t('res2.allTracks')} />
        <SelectField
          label={t('res2.sort')}
          field="filter_sort"
          value={sort}
          onChange={setSort}
          options={sortOptions}
        />
        <NumberField label={t('res2.minScore')} field="filter_min" value={minScore} onChange={setMinScore} min={0} step="any" />
        <Checkbox label={t('res2.notStarted')} field="filter_not_started" checked={notStarted} onChange={setNotStarted} />
        <button type="submit" className="btn btn-small btn-primary">
          {t('res2.apply')}
        </button>
      </form>

      {versions > 0 && exam.data ? (
        <ResultsStats
          examId={examId}
          version={versions}
          passScore={exam.data.pass_score ?? 0}
          tracks={tracks}
          trackName={trackName}
        />
      ) : null}
      <ErrorMessage error={csvError} />
      <ErrorMessage error={results.error} />
      {results.loading && !results.data ? <Loading /> : null}
      {!results.loading && items.length === 0 && !results.error ? (
        <p className="muted">{filtered ? t('res2.noMatch') : t('results.none')}</p>
      ) : null}
      {items.length ? (
        <div className="card">
          <DataTable
            className="results-table cards-on-narrow"
            testId="results-table"
            caption={t('results.title')}
            columns={[
              ...columnsOf([t('invite.name'), t('invite.email'), t('invite.track'), t('invite.status')]),
              { label: t('results.auto'), num: true },
              { label: t('results.manual'), num: true },
              { label: t('results.score'), num: true },
              ...(part ? [{ label: partLabel, num: true }] : []),
              { label: t('results.passed') },
              { label: t('results.submitted') },
              { label: t('common.actions'), srOnly: true },
            ]}
          >
                {items.map((r) => (
                  <tr key={r.attempt_id || r.invitation_id} data-testid="result-row" data-status={r.status}>
                    <th scope="row" data-label={t('invite.name')}>
                      {r.candidate_name}
                    </th>
                    <td data-label={t('invite.email')}>{r.candidate_email}</td>
                    <td data-label={t('invite.track')}>{r.track ? trackName(r.track) : '—'}</td>
                    <td data-label={t('invite.status')}>
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="num" data-label={t('results.auto')}>
                      {formatScore(r.auto_score)}
                    </td>
                    <td className="num" data-label={t('results.manual')}>
                      {formatScore(r.manual_score)}
                    </td>
                    <td className="num" data-testid="result-score" data-label={t('results.score')}>
                      <strong>{formatScore(r.score)}</strong> / {formatScore(r.max_score)}
                    </td>
                    {part ? <PartCell label={partLabel} part={rowPart(r, part)} /> : null}
                    <td data-label={t('results.passed')}>
                      {r.passed === null || r.passed === undefined ? '—' : r.passed ? t('results.yes') : t('results.no')}
                    </td>
                    <td data-label={t('results.submitted')}>
                      {formatDateTime(r.submitted_at, lang)}
                      {r.submitted_by ? <div className="muted small">{t(`results.by.${r.submitted_by === 'timeout' ? 'timeout' : 'candidate'}`)}</div> : null}
                    </td>
                    <td className="row-actions">
                      {r.attempt_id ? (
                        <Link to={`/attempts/${r.attempt_id}?exam=${encodeURIComponent(examId)}`} className="btn btn-small">
                          {t('results.detail')}
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
          </DataTable>
          {cursors.length > 1 || next ? (
            <nav className="pager" aria-label={t('res2.page', { n: cursors.length })}>
              <button type="button" className="btn btn-small" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t('res2.prev')}
              </button>
              <span className="muted small" data-testid="page-number">
                {t('res2.page', { n: cursors.length })}
              </span>
              <button type="button" className="btn btn-small" disabled={!next} onClick={() => next && setCursors((c) => [...c, next])}>
                {t('res2.next')}
              </button>
            </nav>
          ) : null}
        </div>
      ) : null}

      {versions > 0 ? (
        <div className="card">
          <h2>{t('results.versions')}</h2>
          <p className="muted small">{t('results.versionsHint')}</p>
          <ul className="inline-list">
            {Array.from({ length: versions }, (_, i) => versions - i).map((n) => (
              <li key={n}>
                <Link to={`/exams/${examId}/versions/${n}`} className="btn btn-small">
                  {t('exams.version', { n })}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
