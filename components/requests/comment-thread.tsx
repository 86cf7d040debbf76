import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";
import { Markdown } from "./markdown";

type Comment = { id: string; body: string; createdAt: string; author: string; authorName: string | null };

export function CommentThread({
  number,
  comments,
  action,
}: {
  number: number;
  comments: Comment[];
  action: (form: FormData) => Promise<ActionResult>;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Discussion ({comments.length})</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {comments.length === 0 && (
          <p className="text-sm text-muted-foreground">No comments yet. Ask a question or @mention someone.</p>
        )}
        <ol className="flex flex-col gap-3">
          {comments.map((c) => (
            <li key={c.id} className="rounded-md border border-border p-3">
              <p className="mb-1 text-xs text-muted-foreground">
                <span className="font-medium text-foreground">{c.authorName ?? c.author}</span> ·{" "}
                <LocalTime iso={c.createdAt} />
              </p>
              <Markdown source={c.body} />
            </li>
          ))}
        </ol>
        <ActionForm action={action} resetOnSuccess className="flex flex-col gap-2" aria-label="Add a comment">
          <input type="hidden" name="number" value={number} />
          <Label htmlFor="comment-body">Comment</Label>
          <Textarea
            id="comment-body"
            name="body"
            rows={3}
            required
            placeholder="Markdown; @maya or @maya@example.com notifies them"
            aria-describedby="comment-body-error"
          />
          <FormFieldError name="body" id="comment-body-error" />
          <div>
            <SubmitButton size="sm" pendingLabel="Posting…">
              Comment
            </SubmitButton>
          </div>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
