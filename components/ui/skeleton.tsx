import * as React from "react";

import { cn } from "@/lib/utils";

/** Decorative loading placeholder; announce loading state elsewhere (e.g. aria-busy). */
function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn("rounded-md bg-muted motion-safe:animate-pulse", className)}
      {...props}
    />
  );
}

export { Skeleton };
