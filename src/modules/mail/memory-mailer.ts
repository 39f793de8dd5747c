// Keeps sent messages in memory, for unit tests.
import { randomUUID } from 'node:crypto';
import { assertHeaderSafe, type MailMessage, type Mailer } from './mailer.ts';

export interface MemoryMailer extends Mailer {
  readonly sent: (MailMessage & { messageId: string })[];
}

export const createMemoryMailer = (): MemoryMailer => {
  const sent: (MailMessage & { messageId: string })[] = [];
  return {
    kind: 'memory',
    sent,
    async send(message) {
      assertHeaderSafe(message);
      const messageId = `<${randomUUID()}@herold.memory>`;
      sent.push({ ...message, messageId });
      return { messageId };
    },
    async close() {},
  };
};
