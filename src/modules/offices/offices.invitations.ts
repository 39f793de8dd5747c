// Inviting someone to an office: a one-time link (auth tokens) and the invitation mail. The one code
// path for the members page (an owner invites) and for an accepted application to join (a platform
// admin invites the new office's owner).
import type { Config } from '../../config.ts';
import { absoluteUrl } from '../../lib/urls.ts';
import type { Translator } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import type { AuthService, Role } from '../auth/auth.service.ts';
import { TOKEN_TTL_MS } from '../auth/auth.service.ts';
import type { Mailer } from '../mail/mailer.ts';
import { headerText, renderNotice } from '../mail/mail.render.ts';

export interface Invitation {
  office: { id: number; name: string };
  email: string;
  role: Exclude<Role, 'admin'>;
  inviter: { id: number; email: string };
  /** The invitation's language (the inviter's UI language). */
  t: Translator;
}

export const sendInvitation = async ({ auth, mailer, config }: { auth: AuthService; mailer: Mailer; config: Config }, invitation: Invitation): Promise<void> => {
  const { office, email, role, inviter, t } = invitation;
  const token = await auth.issueToken('invite', { email, officeId: office.id, role, createdBy: inviter.id });
  const words = { inviter: inviter.email, office: office.name, site: config.siteName, role: t.t(`role.${role}`), days: TOKEN_TTL_MS.invite / 86_400_000 };
  await mailer.send(
    renderNotice(
      config,
      {
        to: email.toLowerCase(),
        subject: headerText(t.t('mail.invite.subject', words)),
        lang: t.lang,
        paragraphs: [t.t('mail.greeting'), t.t('mail.invite.intro', words)],
        link: { url: absoluteUrl(config.publicUrl, `/set-password/${token}`), label: t.t('mail.invite.button') },
        reason: t.t('mail.invite.reason', words),
      },
      (key, params) => t.t(key as MessageKey, params),
    ),
  );
};
