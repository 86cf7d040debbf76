import { FieldError } from "@/components/ui/field-error";

type Props = {
  events: { type: string; description: string }[];
  chosen: readonly string[];
  errors?: string[] | string | null;
};

/** The events an endpoint hears, each with what it means; plain checkboxes so the form posts them all. */
export function EventChoices({ events, chosen, errors }: Props) {
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby="webhook-events-error">
      <legend className="mb-1 text-sm font-medium">Events</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {events.map((e) => (
          <label key={e.type} className="flex items-start gap-2 rounded-md border border-border p-2 text-sm">
            <input
              type="checkbox"
              name="events"
              value={e.type}
              defaultChecked={chosen.includes(e.type)}
              className="mt-0.5 size-4 shrink-0 accent-primary"
            />
            <span className="min-w-0">
              <span className="block break-words font-mono text-xs">{e.type}</span>
              <span className="block text-xs text-muted-foreground">{e.description}</span>
            </span>
          </label>
        ))}
      </div>
      <FieldError id="webhook-events-error" errors={errors ?? null} />
    </fieldset>
  );
}
