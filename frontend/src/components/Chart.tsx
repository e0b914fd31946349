import { useEffect, useRef } from 'react';

// An ECharts chart for staff pages. ECharts comes in with import() the first
// time a chart is drawn, so no page that merely links here, and never the
// candidate's bundle, carries it.
type EC = typeof import('echarts');
let loading: Promise<EC> | null = null;

export function EChart({ option, label, testId, height = 300 }: { option: Record<string, unknown>; label: string; testId: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let inst: ReturnType<EC['init']> | undefined;
    let cancelled = false;
    const resize = () => inst?.resize();
    loading ??= import('echarts');
    void loading.then((ec) => {
      if (cancelled || !box.current) return;
      inst = ec.init(box.current, undefined, { renderer: 'svg' });
      inst.setOption(option);
      window.addEventListener('resize', resize);
    });
    return () => {
      cancelled = true;
      window.removeEventListener('resize', resize);
      inst?.dispose();
    };
  }, [option]);
  return <div ref={box} role="img" aria-label={label} data-testid={testId} className="stats-chart" style={{ height }} />;
}
