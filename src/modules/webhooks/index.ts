// Webhooks: endpoints with Standard Webhooks signatures, the SSRF guard, retries with back-off, the delivery log.
export { checkWebhookUrl, isPublicAddress } from './guard.js';
export { type PostResult, postWebhook, signatureHeaders } from './post.js';
export { webhookRoutes } from './routes.js';
export { attachWebhooks, senderFor, WEBHOOKS_INTERVAL_MS, WEBHOOKS_TASK, WebhookSender } from './sender.js';
export {
  createEndpoint,
  type DeliveryView,
  deleteEndpoint,
  type EndpointView,
  listDeliveries,
  listEndpoints,
  queueWebhookDeliveries,
  redeliver,
  TEST_KIND,
  updateEndpoint,
  webhookKindsWanted,
} from './service.js';
