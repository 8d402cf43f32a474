// "online" / "last seen …" as far as the person's privacy lets the viewer know (§5.2).
import type { LastSeenApprox, Profile } from '../../api/types';
import { parseTimestamp } from '../../utils/time';

type Translate = (key: string, values?: Record<string, unknown>) => string;

const buckets: Record<LastSeenApprox, string> = {
  'just now': 'profile.user.seen.justNow',
  'within an hour': 'profile.user.seen.withinHour',
  today: 'profile.user.seen.today',
  'this week': 'profile.user.seen.thisWeek',
  'long ago': 'profile.user.seen.longAgo',
};

export function lastSeenText(
  p: Pick<Profile, 'is_online' | 'last_activity' | 'last_seen_approx'>,
  t: Translate,
  locale: string,
  now: Date = new Date(),
): string {
  if (p.is_online) return t('profile.user.online');
  if (p.last_seen_approx) return t(buckets[p.last_seen_approx]);
  if (p.is_online === false && p.last_activity) {
    const at = parseTimestamp(p.last_activity);
    if (Number.isNaN(at.getTime())) return '';
    const sameDay = at.toDateString() === now.toDateString();
    const when = sameDay
      ? at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
      : at.toLocaleString(locale, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
    return t(sameDay ? 'profile.user.seen.at' : 'profile.user.seen.on', { when });
  }
  if (p.is_online === false) return t('profile.user.seen.never');
  // Hidden by the person's privacy (or not yet seen at all under approx_only).
  return t('profile.user.seen.hidden');
}
