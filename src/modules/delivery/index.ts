// Delivery: the outbox of e-mails and SMS, sent exactly once by the job queue; suppressions; unsubscribing.
export { unsubscribeRoutes } from './public.js';
export { cleanHeader, renderEmail, renderSms } from './render.js';
export { attachDelivery, deliveryRoutes } from './routes.js';
export {
  type AttachmentResolver,
  Delivery,
  type DeliveryHooks,
  getOutboxMessage,
  listOutbox,
  maskAddress,
  messageFor,
  normaliseAddress,
  type OutboxItem,
  type QueueReason,
  type QueueResult,
  queueInvitationMessage,
  queueInvitationMessages,
  queueMessage,
  queueMessages,
  retryMessage,
  SEND_JOB,
  type StaffMessage,
  SWEEP_TASK,
} from './service.js';
export {
  classifySmtpError,
  httpSmsProvider,
  type MailAttachment,
  type SmsProvider,
  smtpMailer,
  TestSmsProvider,
} from './transport.js';
