/**
 * Staff working hours, from configuration like `sun-thu 08:00-15:00; sat 10:00-13:00` in the
 * association's time zone. Empty means "always": the beneficiary is told staff reply as soon as they can.
 * The policy gives no opening hours, so nothing here is invented.
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const RULE = /^(sun|mon|tue|wed|thu|fri|sat)(?:-(sun|mon|tue|wed|thu|fri|sat))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;

interface Span {
  days: Set<number>;
  from: number;
  to: number;
}

export interface WorkingHours {
  /** False when no hours are configured. */
  configured: boolean;
  isOpen(at?: Date): boolean;
}

/** Parses the setting; throws with the offending part so a typo fails at start-up. */
export function parseWorkingHours(spec: string, timeZone: string): WorkingHours {
  const spans: Span[] = [];
  for (const part of spec.split(/[;,]/).map((p) => p.trim().toLowerCase()).filter(Boolean)) {
    const m = RULE.exec(part);
    if (!m) throw new Error(`WORKING_HOURS: cannot read "${part}" (expected e.g. "sun-thu 08:00-15:00")`);
    const first = DAYS.indexOf(m[1] as (typeof DAYS)[number]);
    const last = m[2] ? DAYS.indexOf(m[2] as (typeof DAYS)[number]) : first;
    const days = new Set<number>();
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
    const from = Number(m[3]) * 60 + Number(m[4]);
    const to = Number(m[5]) * 60 + Number(m[6]);
    if (from >= to || to > 24 * 60) throw new Error(`WORKING_HOURS: "${part}" ends before it starts`);
    spans.push({ days, from, to });
  }
  const format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return {
    configured: spans.length > 0,
    isOpen(at = new Date()) {
      if (spans.length === 0) return true;
      const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
      const day = DAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
      const minute = Number(parts.hour) * 60 + Number(parts.minute);
      return spans.some((s) => s.days.has(day) && minute >= s.from && minute < s.to);
    },
  };
}
