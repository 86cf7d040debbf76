"use client";

import { setNonce } from "get-nonce";

// What the browser side needs to live under the page's Content-Security-Policy (proxy.ts). (zod's
// eval probe is switched off in instrumentation-client.ts, before any schema is built.)

let handedOver = false;

/**
 * Radix adds <style> elements (a select's viewport, the scroll lock of a dialog or menu); they need
 * the nonce of the document's own policy. That is read from the document's scripts, once: a soft
 * navigation renders the layout again on the server with a new nonce, but the document keeps the
 * policy it was loaded with. Only in the browser: on the server the holder would be shared.
 */
export function CspClient() {
  if (!handedOver && typeof document !== "undefined") {
    const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
    if (nonce) {
      setNonce(nonce);
      handedOver = true;
    }
  }
  return null;
}
