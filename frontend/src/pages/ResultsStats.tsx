import { useMemo, useState } from 'react';
import { EChart } from '../components/Chart';
import { useI18n, useStaff } from '../context';
import { Link } from '../lib/router';
import type { ExamDocument, QuestionStatistics, VersionStatistics } from '../lib/types';
import { ErrorMessage, Loading, TableHead, columnsOf, useAsync } from '../components/ui';

const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : v.toFixed(digits));
// A bin's bound: whole scores without a trailing ".0", so ten labels of a
// 120-point exam fit under the bars ("108–120", not "108.0–120.0").
const bound = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** The histogram's axis labels, one a bin. */
export const binLabels = (bins: { from: number; to: number }[]) => bins.map((b) => `${bound(b.from)}–${bound(b.to)}`);

/**
 * What a question flagged for negative discrimination asks of the recruiter:
 * an objective question's key may be wrong (the dry run of an amendment
 * shows what fixing it would change); an essay has no key, so its rubric
 * and marking are what to look at; anything else asks for nothing.
 */
export const followUp = (q: Pick<QuestionStatistics, 'type' | 'flags'>): 'amend' | 'marking' | null =>
  !q.flags.includes('negative_discrimination') ? null : q.type === 'essay' ? 'marking' : 'amend';

/** "Q3. Prompt…" for each question of a version document, numbered in order. */
export function questionLabels(doc: ExamDocument | undefined, width = 60): Map<string, string> {
  const m = new Map<string, string>();
  let n = 0;
  doc?.sections.forEach((s) =>
    s.questions.forEach((q) => {
      n += 1;
      const text = q.prompt.replace(/\{\{\s*(\d+)\s*\}\}/g, '____').replace(/\s+/g, ' ').trim();
      if (q.id) m.set(q.id, `Q${n}. ${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    }),
  );
  return m;
}

/** Flagged questions first, keeping the document's order otherwise. */
export function flaggedFirst(qs: QuestionStatistics[]): QuestionStatistics[] {
  return qs
    .map((q, i) => ({ q, i }))
    .sort((a, b) => Number(b.q.flags.length > 0) - Number(a.q.flags.length > 0) || a.i - b.i)
    .map((x) => x.q);
}

export function ResultsStats({
  examId,
  version,
  passScore,
  tracks,
  trackName,
}: {
  examId: string;
  version: number;
  passScore: number;
  tracks: string[];
  trackName: (t: string) => string;
}) {
  const { t } = useI18n();
  const { api } = useStaff();
  const [track, setTrack] = useState('');
  const st = useAsync(() => api.statistics(examId, version, track || undefined), [api, examId, version, track]);

  const data: VersionStatistics | undefined = st.data;
  // Questions are shown by number and prompt, from the frozen version.
  const ver = useAsync(() => api.getVersion(examId, version), [api, examId, version]);
  const labels = useMemo(() => questionLabels(ver.data?.exam), [ver.data]);
  const label = (id: string) => labels.get(id) ?? id;
  const options = useMemo((): { hist: Record<string, unknown>; scatter: Record<string, unknown> } | null => {
    if (!data) return null;
    const bins = data.score.histogram;
    const top = bins[bins.length - 1]?.to ?? 0;
    const binNames = binLabels(bins);
    const long = Math.max(0, ...binNames.map((l) => l.length)) > 8;
    const showPass = top > 0 && passScore >= 0 && passScore <= top;
    return {
      hist: {
        tooltip: {},
        grid: { left: 40, right: 16, bottom: long ? 72 : 48 },
        xAxis: [
          {
            type: 'category',
            data: binNames,
            name: t('stats.score'),
            nameLocation: 'middle',
            nameGap: long ? 52 : 30,
            axisLabel: { interval: 0, fontSize: 10, rotate: long ? 30 : 0 },
          },
          // The pass mark sits at its exact score: a hidden value axis from 0
          // to the maximum spans the same width as the ten equal bins.
          { type: 'value', min: 0, max: top || 1, show: false },
        ],
        yAxis: { type: 'value', minInterval: 1, name: t('stats.count') },
        series: [
          { type: 'bar', data: bins.map((b) => b.count) },
          {
            type: 'line',
            xAxisIndex: 1,
            data: showPass ? [[passScore, 0]] : [],
            symbol: 'none',
            markLine: showPass
              ? {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: '#c2410c', type: 'dashed', width: 2 },
                  label: { formatter: t('stats.passMark'), color: '#c2410c' },
                  data: [{ xAxis: passScore }],
                }
              : undefined,
          },
        ],
      },
      scatter: {
        tooltip: { formatter: (p: { data: [number, number, string] }) => `${p.data[2]}: ${fmt(p.data[0])}, ${fmt(p.data[1])}` },
        grid: { left: 40, right: 16, bottom: 48 },
        xAxis: { type: 'value', min: 0, max: 1, name: t('stats.facility'), nameLocation: 'middle', nameGap: 30 },
        yAxis: { type: 'value', min: -1, max: 1, name: t('stats.discrimination') },
        series: [
          {
            type: 'scatter',
            data: data.questions
              .filter((q) => q.facility !== null && q.discrimination !== null)
              .map((q) => [q.facility, q.discrimination, labels.get(q.question_id) ?? q.question_id]),
          },
        ],
      },
    };
  }, [data, passScore, t, labels]);

  return (
    <section className="card" data-testid="statistics" aria-label={t('stats.title')}>
      <h2>{t('stats.title')}</h2>
      {tracks.length ? (
        <label>
          {t('res2.track')}{' '}
          <select value={track} onChange={(e) => setTrack(e.target.value)} data-testid="stats-track">
            <option value="">{t('res2.allTracks')}</option>
            {tracks.map((x) => (
              <option key={x} value={x}>
                {trackName(x)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {st.error ? <ErrorMessage error={st.error} /> : null}
      {!data ? (
        <Loading />
      ) : (
        <>
          <p data-testid="stats-summary">
            {t('stats.summary', {
              n: data.attempts,
              mean: fmt(data.score.mean),
              median: fmt(data.score.median),
              sd: fmt(data.score.sd),
              alpha: fmt(data.reliability.alpha),
              sem: fmt(data.reliability.sem),
            })}
          </p>
          {options ? (
            <div className="stats-charts" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: 16 }}>
              <EChart option={options.hist} label={t('stats.histogram')} testId="chart-histogram" height={280} />
              <EChart option={options.scatter} label={t('stats.scatter')} testId="chart-scatter" height={280} />
            </div>
          ) : null}
          <table className="table" data-testid="stats-questions">
            <TableHead
              columns={columnsOf([t('stats.question'), t('stats.type'), t('stats.attempts'), t('stats.facility'), t('stats.discrimination'), t('stats.options'), t('stats.flags')])}
            />
            <tbody>
              {flaggedFirst(data.questions).map((q) => (
                <tr key={q.question_id} className={q.flags.length ? 'flagged' : undefined}>
                  <td title={q.question_id}>{label(q.question_id)}</td>
                  <td>{t(`qtype.${q.type}` as Parameters<typeof t>[0])}</td>
                  <td>{q.attempts}</td>
                  <td>{fmt(q.facility)}</td>
                  <td>{fmt(q.discrimination)}</td>
                  <td>{(q.options ?? []).map((o) => `${o.key}: ${o.chosen}`).join(' · ')}</td>
                  <td>
                    {q.flags.map((f) => (
                      <span key={f} className="badge">
                        {t(`stats.flag.${f}`)}
                      </span>
                    ))}
                    {followUp(q) === 'marking' ? <span className="muted">{t('stats.checkMarking')}</span> : null}
                    {followUp(q) === 'amend' ? (
                      <Link
                        to={`/exams/${examId}/versions/${version}?amend=${encodeURIComponent(q.question_id)}`}
                        data-testid="amend-link"
                      >
                        {t('stats.checkKey')}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
