import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Headline, nonEmpty, Quote, RequestLine, requestNumber } from "./parts";

// Someone @mentioned you in a request's discussion: the comment itself is the point, so it is quoted.
export const CommentMentionEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  authorName: nonEmpty,
  /** The comment, cut short by the caller if long. */
  excerpt: nonEmpty.max(1000),
  url: absoluteUrl,
});
export type CommentMentionEmailProps = z.input<typeof CommentMentionEmailProps>;

export const commentMentionSubject = (p: z.output<typeof CommentMentionEmailProps>) =>
  `[CR-${p.number}] ${p.authorName} mentioned you`;

export default function CommentMentionEmail(props: CommentMentionEmailProps) {
  const p = CommentMentionEmailProps.parse(props);
  return (
    <EmailLayout preview={`${p.authorName}: ${p.excerpt.slice(0, 90)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>{p.authorName} mentioned you</Headline>
      <Quote by={`${p.authorName} wrote`}>{p.excerpt}</Quote>
      <Action href={p.url}>Reply on the request</Action>
    </EmailLayout>
  );
}

CommentMentionEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  authorName: "Alice Moreau",
  excerpt: "@maya could you look at the budget line for the GPU nodes? cc @lee@example.com for the rollout window.",
  url: "http://localhost:3000/requests/1042",
} satisfies CommentMentionEmailProps;
