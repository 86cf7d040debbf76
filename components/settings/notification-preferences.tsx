import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { DeliveryMode } from "@/db/schema/notifications";
import type { ActionResult } from "@/lib/http/action";
import { DELIVERY_MODE_LABELS } from "./delivery-modes";

export type PreferenceView = { event: string; label: string; mandatory: boolean; mode: DeliveryMode };

type Props = { preferences: PreferenceView[]; action: (form: FormData) => Promise<ActionResult> };

/**
 * One form per kind of email (a radio group and its own Save), so a change is one decision that is
 * saved or refused on its own, and the keyboard path is Tab to the group, arrows to choose, Tab to Save.
 */
export function NotificationPreferences({ preferences, action }: Props) {
  return (
    <Table aria-label="Email preferences">
      <TableHeader>
        <TableRow>
          <TableHead>Email about</TableHead>
          <TableHead>How you get it</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {preferences.map((p) => {
          const noteId = `pref-${p.event}-note`;
          return (
            <TableRow key={p.event} data-testid={`preference-${p.event}`}>
              <TableCell className="align-top font-medium">
                {p.label}
                {p.mandatory && (
                  <p id={noteId} className="mt-1 text-xs font-normal text-muted-foreground">
                    Work waiting for you: it can wait for the digest, never be switched off.
                  </p>
                )}
              </TableCell>
              <TableCell>
                <ActionForm
                  action={action}
                  aria-label={`Delivery: ${p.label}`}
                  className="flex flex-wrap items-center gap-x-5 gap-y-2"
                >
                  <input type="hidden" name="event" value={p.event} />
                  <fieldset className="flex flex-wrap gap-x-4 gap-y-1">
                    <legend className="sr-only">{p.label}</legend>
                    {(Object.keys(DELIVERY_MODE_LABELS) as DeliveryMode[]).map((mode) => {
                      const refused = mode === "off" && p.mandatory;
                      return (
                        <label
                          key={mode}
                          className={
                            refused
                              ? "flex items-center gap-2 text-sm text-muted-foreground"
                              : "flex items-center gap-2 text-sm"
                          }
                        >
                          <input
                            type="radio"
                            name="mode"
                            value={mode}
                            defaultChecked={p.mode === mode}
                            disabled={refused}
                            aria-describedby={refused ? noteId : undefined}
                            className="size-4 accent-[var(--primary)]"
                          />
                          {DELIVERY_MODE_LABELS[mode]}
                        </label>
                      );
                    })}
                  </fieldset>
                  <SubmitButton size="sm" variant="outline" pendingLabel="Saving…" aria-label={`Save: ${p.label}`}>
                    Save
                  </SubmitButton>
                  <FormFieldError name="mode" id={`pref-${p.event}-error`} />
                </ActionForm>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
