import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ROLE_LABELS } from "@/components/roles";
import type { Role } from "@/db/schema/org";

type Account = { email: string; name: string | null; roles: Role[]; teams: string[] };

export function DemoAccounts({
  accounts,
  action,
  callbackUrl,
}: {
  accounts: Account[];
  action: (form: FormData) => Promise<void>;
  callbackUrl: string;
}) {
  if (accounts.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        No accounts yet. Run <code>npm run db:seed</code> to add the demo organisation.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-border" aria-label="Demo accounts">
      {accounts.map((a) => (
        <li key={a.email} className="flex items-center justify-between gap-3 py-2">
          <div className="min-w-0">
            <p className="truncate text-sm font-medium">{a.name ?? a.email}</p>
            <p className="truncate text-xs text-muted-foreground">
              {a.email}
              {a.teams.length > 0 && ` · ${a.teams.join(", ")}`}
            </p>
            <div className="mt-1 flex flex-wrap gap-1">
              {a.roles.map((r) => (
                <Badge key={r} variant="secondary">
                  {ROLE_LABELS[r]}
                </Badge>
              ))}
            </div>
          </div>
          <form action={action}>
            <input type="hidden" name="email" value={a.email} />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <Button type="submit" size="sm" variant="outline" aria-label={`Sign in as ${a.name ?? a.email}`}>
              Sign in
            </Button>
          </form>
        </li>
      ))}
    </ul>
  );
}
