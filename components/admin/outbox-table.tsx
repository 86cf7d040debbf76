import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Notification } from "@/db/schema/notifications";
import type { ActionResult } from "@/lib/http/action";
import { OutboxStatusBadge } from "./outbox-status-badge";

export type OutboxMessage = {
  id: string;
  recipientEmail: string;
  subject: string;
  event: string;
  status: Notification["status"];
  transport: string | null;
  deadLetter: boolean;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

type Props = { messages: OutboxMessage[]; retry: (form: FormData) => Promise<ActionResult> };

export function OutboxTable({ messages, retry }: Props) {
  return (
    <Table aria-label="Outbox">
      <TableHeader>
        <TableRow>
          <TableHead>Recipient</TableHead>
          <TableHead>Subject</TableHead>
          <TableHead>Event</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Attempts</TableHead>
          <TableHead>Last error</TableHead>
          <TableHead>Created / sent</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {messages.map((m) => (
          <TableRow key={m.id} data-testid={`outbox-${m.id}`}>
            <TableCell className="whitespace-nowrap">{m.recipientEmail}</TableCell>
            <TableCell className="max-w-xs">{m.subject}</TableCell>
            <TableCell className="whitespace-nowrap font-mono text-xs">{m.event}</TableCell>
            <TableCell>
              <OutboxStatusBadge status={m.status} transport={m.transport} deadLetter={m.deadLetter} />
            </TableCell>
            <TableCell className="text-right tabular-nums">{m.attempts}</TableCell>
            <TableCell className="max-w-xs break-words text-xs text-destructive">
              {m.lastError ?? <span className="text-muted-foreground">None</span>}
            </TableCell>
            <TableCell className="whitespace-nowrap text-xs">
              <LocalTime iso={m.createdAt} />
              <br />
              {m.sentAt && m.status !== "sending" ? (
                <LocalTime iso={m.sentAt} />
              ) : (
                <span className="text-muted-foreground">not sent</span>
              )}
            </TableCell>
            <TableCell className="text-right">
              {m.deadLetter && (
                <ActionForm action={retry} aria-label={`Retry the email to ${m.recipientEmail}`}>
                  <input type="hidden" name="notificationId" value={m.id} />
                  <SubmitButton
                    size="sm"
                    variant="outline"
                    pendingLabel="Retrying…"
                    aria-label={`Retry: ${m.subject} to ${m.recipientEmail}`}
                  >
                    Retry
                  </SubmitButton>
                </ActionForm>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
