import type { CountPoint } from '../../counts/count-history.service.js';
import type { Speech } from '../i18n/messages.js';

/** One point of the chart: a petition's public counts at a moment (see CountHistoryService). */
export type ChartPoint = CountPoint;

const WIDTH = 600;
const HEIGHT = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 30 };
const GREEN = '#00703c';
const AMBER = '#b58840';

/** A round number at or above `n`, so the axis reads 0, 50, 100 rather than 0, 47, 94. */
export function niceCeiling(n: number): number {
  if (n <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= n) ?? 10;
  return step * magnitude;
}

/**
 * Verified and being-checked signatures over time, as inline SVG drawn on the server, so it shows
 * without JavaScript. Screen readers get its title and a one-sentence summary.
 */
export function CountChart({ s, points }: { s: Speech; points: ChartPoint[] }) {
  if (points.length === 0) return null;
  const first = points[0].at.getTime();
  const last = points[points.length - 1].at.getTime();
  const span = Math.max(last - first, 1);
  const top = niceCeiling(Math.max(...points.map((p) => Math.max(p.verified, p.beingChecked))));
  const x = (at: Date) =>
    PAD.left + ((at.getTime() - first) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (n: number) => HEIGHT - PAD.bottom - (n / top) * (HEIGHT - PAD.top - PAD.bottom);
  const line = (pick: (p: ChartPoint) => number) =>
    points.map((p) => `${x(p.at).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ');
  const now = points[points.length - 1];
  // Over less than two days the dates would read the same: say the times too.
  const label = span < 2 * 86_400_000 ? s.f.dateTime : s.f.date;
  const summary = s.t.petition.chartSummary(
    s.f,
    s.f.date(points[0].at),
    now.verified,
    now.beingChecked,
  );
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-labelledby="chart-title chart-desc"
      >
        <title id="chart-title">{s.t.petition.chartTitle}</title>
        <desc id="chart-desc">{summary}</desc>
        {[0, top / 2, top].map((tick) => (
          <g>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke="#b1b4b6"
              stroke-width="1"
            />
            <text x={PAD.left - 8} y={y(tick) + 5} text-anchor="end" font-size="14" fill="#505a5f">
              {s.f.number(tick)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 8} font-size="14" fill="#505a5f">
          {label(points[0].at)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 8} font-size="14" fill="#505a5f" text-anchor="end">
          {label(now.at)}
        </text>
        <polyline
          points={line((p) => p.beingChecked)}
          fill="none"
          stroke={AMBER}
          stroke-width="3"
          stroke-dasharray="8 5"
        />
        <polyline points={line((p) => p.verified)} fill="none" stroke={GREEN} stroke-width="3" />
      </svg>
      <figcaption>
        <ul class="legend small">
          <li>
            <span class="key key-verified" aria-hidden="true" />
            {s.t.petition.chartVerified}
          </li>
          <li>
            <span class="key key-checking" aria-hidden="true" />
            {s.t.petition.chartChecking}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
