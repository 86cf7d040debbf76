"use client";

import { setNonce } from "get-nonce";

/**
 * Radix's scroll lock adds a <style> element when a dialog or menu opens; under the page's CSP it
 * needs this response's nonce. Set during render, before anything can open.
 */
export function StyleNonce({ nonce }: { nonce: string | null }) {
  if (nonce) setNonce(nonce);
  return null;
}
