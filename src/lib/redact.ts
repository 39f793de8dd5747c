// Keeps secrets out of logs: one-time tokens travel in some URLs (/set-password/…, /preview/…,
// /admin/resume/…, /subscribe/confirm|manage/…, /unsubscribe/…, /join/confirm/…, a journalist's
// /journalists/login/… and /journalists/address/…, a pre-release's personal /embargo/…, ?_csrf=…, ?resume=…), and a
// prefilled ?email= names a reader; this masks them.
export const redactUrl = (url: string): string =>
  url
    .replace(/\/(set-password|preview|resume|subscribe\/confirm|subscribe\/manage|unsubscribe|join\/confirm|journalists\/login|journalists\/address|embargo)\/[^/?#]+/g, '/$1/[redacted]')
    .replace(/([?&](?:_csrf|resume|token|email)=)[^&#]*/g, '$1[redacted]');

/** Pino options for the server's logger: cookies and credentials are dropped, request URLs masked. */
export const logRedaction = {
  redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'smtpUrl', 'config.smtpUrl'],
  // Request URLs may carry one-time tokens (set-password, preview, resume, subscription links).
  serializers: {
    req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
  },
};
