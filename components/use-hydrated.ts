"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server's HTML and while React takes the page over, true after. A controlled field
 * (a select whose value lives in state) is reset to that state during hydration, so a choice made
 * before then would be silently undone: such fields stay disabled until this turns true.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
