import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n, useStaff } from '../context';
import { Link } from '../lib/router';
import type { QuestionStatistics, VersionStatistics } from '../lib/types';
import { ErrorMessage, Loading, useAsync } from '../components/ui';

// ECharts is loaded only here (a staff page), with import(), so the
// candidate's bundle never carries it.
type ECharts = typeof import('echarts');
let echartsPromise: Promise<ECharts> | null = null;
function loadECharts(): Promise<ECharts> {
  echartsPromise ??= import('echarts');
  return echartsPromise;
}

function Chart({ option, label, testId }: { option: Record<string, unknown>; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { dispose(): void; resize(): void } | null = null;
    let gone = false;
    const onResize = () => chart?.resize();
    void loadECharts().then((ec) => {
      if (gone || !ref.current) return;
      const c = ec.init(ref.current, undefined, { renderer: 'svg' });
      c.setOption(option);
      chart = c;
      window.addEventListener('resize', onResize);
    });
    return () => {
      gone = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} data-testid={testId} className="stats-chart" style={{ height: 280 }} />;
}

const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : v.toFixed(digits));

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
  const options = useMemo((): { hist: Record<string, unknown>; scatter: Record<string, unknown> } | null => {
    if (!data) return null;
    const bins = data.score.histogram;
    const passBin = bins.findIndex((b, i) => passScore >= b.from && (passScore < b.to || i === bins.length - 1));
    return {
      hist: {
        tooltip: {},
        xAxis: { type: 'category', data: bins.map((b) => `${fmt(b.from, 1)}–${fmt(b.to, 1)}`), name: t('stats.score') },
        yAxis: { type: 'value', minInterval: 1, name: t('stats.count') },
        series: [
          {
            type: 'bar',
            data: bins.map((b) => b.count),
            markLine:
              passBin >= 0
                ? { symbol: 'none', label: { formatter: t('stats.passMark') }, data: [{ xAxis: passBin }] }
                : undefined,
          },
        ],
      },
      scatter: {
        tooltip: { formatter: (p: { data: [number, number, string] }) => `${p.data[2]}: ${p.data[0]}, ${p.data[1]}` },
        xAxis: { type: 'value', min: 0, max: 1, name: t('stats.facility') },
        yAxis: { type: 'value', min: -1, max: 1, name: t('stats.discrimination') },
        series: [
          {
            type: 'scatter',
            data: data.questions
              .filter((q) => q.facility !== null && q.discrimination !== null)
              .map((q) => [q.facility, q.discrimination, q.question_id]),
          },
        ],
      },
    };
  }, [data, passScore, t]);

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
              <Chart option={options.hist} label={t('stats.histogram')} testId="chart-histogram" />
              <Chart option={options.scatter} label={t('stats.scatter')} testId="chart-scatter" />
            </div>
          ) : null}
          <table className="table" data-testid="stats-questions">
            <thead>
              <tr>
                <th>{t('stats.question')}</th>
                <th>{t('stats.type')}</th>
                <th>{t('stats.attempts')}</th>
                <th>{t('stats.facility')}</th>
                <th>{t('stats.discrimination')}</th>
                <th>{t('stats.options')}</th>
                <th>{t('stats.flags')}</th>
              </tr>
            </thead>
            <tbody>
              {flaggedFirst(data.questions).map((q) => (
                <tr key={q.question_id} className={q.flags.length ? 'flagged' : undefined}>
                  <td>{q.question_id}</td>
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
                    {q.flags.includes('negative_discrimination') ? (
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
