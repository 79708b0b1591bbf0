import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** The box a chart fills: ResponsiveContainer sizes the SVG to it, so .chart-frame gives it a real height. */
export function ChartFrame(props: { testId: string; children: ReactElement }) {
  return (
    <div className="chart-frame" data-testid={props.testId}>
      <ResponsiveContainer width="100%" height="100%">
        {props.children}
      </ResponsiveContainer>
    </div>
  );
}
