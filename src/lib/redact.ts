// Keeps secrets out of logs: one-time tokens travel in some URLs (/set-password/…, /preview/…,
// /admin/resume/…, ?_csrf=…, ?resume=…); this masks them.
export const redactUrl = (url: string): string =>
  url
    .replace(/\/(set-password|preview|resume)\/[^/?#]+/g, '/$1/[redacted]')
    .replace(/([?&](?:_csrf|resume|token)=)[^&#]*/g, '$1[redacted]');
