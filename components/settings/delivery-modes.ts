import type { DeliveryMode } from "@/db/schema/notifications";

/** How each delivery mode reads on the settings page and in its confirmations. */
export const DELIVERY_MODE_LABELS: Record<DeliveryMode, string> = {
  immediately: "Immediately",
  digest: "Daily digest",
  off: "Off",
};
