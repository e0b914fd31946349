// The attempt page's competency chart: the candidate's score per tag (as a
// percentage of that tag's points) beside the cohort's mean. The cohort is
// every attempt of the exams of the exam's position, taken from the
// position's ranking (GET /positions/{id}/candidates, which carries per-tag
// scores); an exam without a position shows the candidate alone.

import { useMemo } from 'react';
import { useStaff, useT } from '../../context';
import { cohortMeans, tagPercent } from '../../lib/blueprint';
import type { Exam, TagScore } from '../../lib/types';
import { DataTable, formatScore, useAsync } from '../../components/ui';
import { EChart } from '../../components/Chart';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(0)} %`);

export function TagChart({ tags, exam }: { tags: TagScore[]; exam: Exam | null | undefined }) {
  const t = useT();
  const { api } = useStaff();
  const positionId = exam?.position_id;
  const cohort = useAsync(
    async () => (positionId ? { position: await api.getPosition(positionId), ranking: await api.positionCandidates(positionId) } : null),
    [api, positionId],
  );
  const means = useMemo(() => (cohort.data ? cohortMeans(cohort.data.ranking.items) : null), [cohort.data]);
  const option = useMemo(() => {
    if (tags.length === 0) return null;
    const series: Record<string, unknown>[] = [{ name: t('tags.candidate'), type: 'bar', data: tags.map((x) => round(tagPercent(x))) }];
    if (means) series.push({ name: t('tags.cohort'), type: 'bar', data: tags.map((x) => round(means.get(x.tag))) });
    return {
      legend: {},
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: tags.map((x) => x.tag), axisLabel: { interval: 0, rotate: tags.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      series,
    };
  }, [tags, means, t]);
  return (
    <div className="card" data-testid="tag-scores">
      <h2>{t('tags.chart')}</h2>
      {tags.length === 0 ? <p className="muted">{t('tags.none')}</p> : null}
      {option ? <EChart option={option} label={t('tags.chartLabel')} testId="tag-chart" /> : null}
      {cohort.data ? (
        <p className="hint">{t('tags.cohortHint', { position: cohort.data.position.title })}</p>
      ) : exam && !positionId ? (
        <p className="hint">{t('tags.noCohort')}</p>
      ) : null}
      {tags.length > 0 ? (
        <DataTable
          caption={t('tags.table')}
          columns={[{ label: t('positions.tag') }, { label: t('positions.score'), num: true }, { label: t('tags.candidate'), num: true }, { label: t('tags.cohort'), num: true }]}
        >
          {tags.map((x) => (
            <tr key={x.tag} data-tag={x.tag}>
              <th scope="row">{x.tag}</th>
              <td className="num">
                {formatScore(x.points_awarded)} / {formatScore(x.max_points)}
              </td>
              <td className="num">{pct(tagPercent(x))}</td>
              <td className="num">{pct(means?.get(x.tag))}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

function round(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : Math.round(v * 10) / 10;
}
