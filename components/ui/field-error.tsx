import * as React from "react";

import { cn } from "@/lib/utils";

type FieldErrorProps = Omit<React.ComponentProps<"div">, "id" | "children"> & {
  /** Reference this from the input: `aria-describedby={id}` (plus `aria-invalid`). */
  id: string;
  errors?: readonly string[] | string | null;
};

/**
 * Error messages for one form field. The container with `id` is always rendered (empty when
 * there are no errors) so an input's aria-describedby never points at a missing element.
 */
function FieldError({ id, errors, className, ...props }: FieldErrorProps) {
  const list = (typeof errors === "string" ? [errors] : (errors ?? [])).filter(Boolean);
  return (
    <div
      id={id}
      data-slot="field-error"
      className={cn("text-sm font-medium text-destructive empty:hidden", className)}
      {...props}
    >
      {list.length === 1 ? (
        <p>{list[0]}</p>
      ) : list.length > 1 ? (
        <ul className="list-disc space-y-0.5 pl-5">
          {list.map((message, i) => (
            <li key={`${i}-${message}`}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export { FieldError, type FieldErrorProps };
