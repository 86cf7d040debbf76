"use client";

import * as React from "react";
import { Toast as ToastPrimitive } from "radix-ui";
import { CircleCheck, CircleX, X } from "lucide-react";

import { cn } from "@/lib/utils";

export type ToastVariant = "default" | "success" | "destructive";

export type ToastOptions = {
  title: string;
  description?: string;
  variant?: ToastVariant;
  /** Milliseconds before auto-dismiss. Defaults to 5000 (8000 for destructive). */
  duration?: number;
};

type ToastRecord = ToastOptions & { id: string };

/* ---------- tiny client-side store ---------- */

const MAX_TOASTS = 3;
const EMPTY: ToastRecord[] = [];
let toasts: ToastRecord[] = EMPTY;
let nextId = 0;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Remove a toast by id, or all toasts when called without an id. */
function dismissToast(id?: string) {
  toasts = id === undefined ? EMPTY : toasts.filter((t) => t.id !== id);
  emit();
}

/** Show a toast from any client component. Returns its id and a `dismiss` helper. */
function toast(options: ToastOptions): { id: string; dismiss: () => void } {
  nextId += 1;
  const id = `toast-${nextId}`;
  toasts = [...toasts, { ...options, id }].slice(-MAX_TOASTS);
  emit();
  return { id, dismiss: () => dismissToast(id) };
}

/* ---------- rendering ---------- */

const variantClasses: Record<ToastVariant, string> = {
  default: "border-border bg-background text-foreground",
  success: "border-success/30 bg-success-soft text-success-soft-foreground",
  destructive: "border-destructive/30 bg-destructive-soft text-destructive-soft-foreground",
};

function ToastIcon({ variant }: { variant: ToastVariant }) {
  if (variant === "success") return <CircleCheck className="mt-0.5 size-4 shrink-0" aria-hidden="true" />;
  if (variant === "destructive") return <CircleX className="mt-0.5 size-4 shrink-0" aria-hidden="true" />;
  return null;
}

/** Mount once in the root layout (inside <body>). */
function Toaster() {
  const items = React.useSyncExternalStore(
    subscribe,
    () => toasts,
    () => EMPTY,
  );

  return (
    <ToastPrimitive.Provider swipeDirection="right" label="Notification">
      {items.map(({ id, title, description, variant = "default", duration }) => (
        <ToastPrimitive.Root
          key={id}
          data-slot="toast"
          data-variant={variant}
          // "foreground" toasts are announced assertively; use that for errors only.
          type={variant === "destructive" ? "foreground" : "background"}
          duration={duration ?? (variant === "destructive" ? 8000 : 5000)}
          defaultOpen
          onOpenChange={(open) => {
            if (!open) dismissToast(id);
          }}
          className={cn(
            "pointer-events-auto relative flex w-full items-start gap-3 rounded-lg border p-4 pr-10 shadow-lg",
            "motion-safe:data-[state=open]:animate-slide-in",
            "data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=cancel]:translate-x-0 data-[swipe=cancel]:transition-transform",
            variantClasses[variant],
          )}
        >
          <ToastIcon variant={variant} />
          <div className="grid gap-1">
            <ToastPrimitive.Title data-slot="toast-title" className="text-sm font-semibold">
              {title}
            </ToastPrimitive.Title>
            {description ? (
              <ToastPrimitive.Description data-slot="toast-description" className="text-sm">
                {description}
              </ToastPrimitive.Description>
            ) : null}
          </div>
          <ToastPrimitive.Close
            data-slot="toast-close"
            aria-label="Dismiss"
            className="absolute top-2 right-2 inline-flex size-7 items-center justify-center rounded-md opacity-80 transition-opacity outline-none hover:opacity-100 focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
          >
            <X className="size-4" aria-hidden="true" />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport
        data-slot="toast-viewport"
        className="fixed right-0 bottom-0 z-[100] m-0 flex max-h-screen w-full list-none flex-col gap-2 p-4 outline-none sm:max-w-sm"
      />
    </ToastPrimitive.Provider>
  );
}

export { dismissToast, toast, Toaster };
