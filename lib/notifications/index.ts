export { enqueueNotification } from "./enqueue";
export { deliverNotification, deliverPending, deliverSoon, settleDeliveries } from "./deliver";
export { configuredTransport, outboxTransport, resendTransport, type MailTransport } from "./transports";
