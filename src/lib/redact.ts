// Keeps secrets out of logs: one-time tokens travel in some URLs (/set-password/…, /preview/…,
// /admin/resume/…, /subscribe/confirm|manage/…, /unsubscribe/…, ?_csrf=…, ?resume=…), and a
// prefilled ?email= names a reader; this masks them.
export const redactUrl = (url: string): string =>
  url
    .replace(/\/(set-password|preview|resume|subscribe\/confirm|subscribe\/manage|unsubscribe)\/[^/?#]+/g, '/$1/[redacted]')
    .replace(/([?&](?:_csrf|resume|token|email)=)[^&#]*/g, '$1[redacted]');
