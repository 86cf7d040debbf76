import * as React from "react";

import { cn } from "@/lib/utils";

type TableProps = React.ComponentProps<"table"> & {
  /**
   * Props for the overflow-x-auto wrapper. If the table can scroll horizontally and has
   * no focusable content, pass `{ tabIndex: 0, role: "region", "aria-label": "…" }`
   * so keyboard users can scroll it.
   */
  containerProps?: React.ComponentProps<"div">;
  /**
   * A table of figures with nothing focusable in it, that may scroll sideways on a narrow screen:
   * its wrapper becomes a focusable region named like the table, so keyboard users can scroll it.
   */
  scrollable?: boolean;
};

function Table({ className, containerProps, scrollable, ...props }: TableProps) {
  const { className: containerClassName, ...restContainer } = containerProps ?? {};
  const region = scrollable
    ? { tabIndex: 0, role: "region", "aria-label": props["aria-label"], "aria-labelledby": props["aria-labelledby"] }
    : {};
  return (
    <div
      data-slot="table-container"
      className={cn(
        "relative w-full overflow-x-auto",
        scrollable && "rounded-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
        containerClassName,
      )}
      {...region}
      {...restContainer}
    >
      <table data-slot="table" className={cn("w-full caption-bottom border-collapse text-sm", className)} {...props} />
    </div>
  );
}

function TableHeader({ className, ...props }: React.ComponentProps<"thead">) {
  return <thead data-slot="table-header" className={cn("[&_tr]:border-b", className)} {...props} />;
}

function TableBody({ className, ...props }: React.ComponentProps<"tbody">) {
  return <tbody data-slot="table-body" className={cn("[&_tr:last-child]:border-0", className)} {...props} />;
}

function TableFooter({ className, ...props }: React.ComponentProps<"tfoot">) {
  return (
    <tfoot
      data-slot="table-footer"
      className={cn("border-t bg-muted/50 [&>tr]:last:border-b-0", className)}
      {...props}
    />
  );
}

function TableRow({ className, ...props }: React.ComponentProps<"tr">) {
  return (
    <tr
      data-slot="table-row"
      className={cn("border-b transition-colors hover:bg-muted/50 data-[state=selected]:bg-muted", className)}
      {...props}
    />
  );
}

function TableHead({ className, scope, ...props }: React.ComponentProps<"th">) {
  return (
    <th
      data-slot="table-head"
      scope={scope ?? "col"}
      className={cn(
        "h-9 px-3 py-2 text-left align-middle text-xs font-semibold whitespace-nowrap text-muted-foreground [&:has([role=checkbox])]:pr-0",
        className,
      )}
      {...props}
    />
  );
}

function TableCell({ className, ...props }: React.ComponentProps<"td">) {
  return (
    <td
      data-slot="table-cell"
      className={cn("px-3 py-2 align-middle [&:has([role=checkbox])]:pr-0", className)}
      {...props}
    />
  );
}

function TableCaption({ className, ...props }: React.ComponentProps<"caption">) {
  return (
    <caption data-slot="table-caption" className={cn("mt-3 text-sm text-muted-foreground", className)} {...props} />
  );
}

export { Table, TableBody, TableCaption, TableCell, TableFooter, TableHead, TableHeader, TableRow };
