import { Button, Link, Text } from "./components";
import { z } from "zod";
import { buttonStyle, EmailLayout } from "./layout";

export const SignInEmailProps = z.object({
  url: z.url(),
  host: z.string().min(1),
  expiresInHours: z.number().int().positive(),
});
export type SignInEmailProps = z.infer<typeof SignInEmailProps>;

export const signInSubject = (p: SignInEmailProps) => `Sign in to Greenlight (${p.host})`;

export default function SignInEmail({ url, host, expiresInHours }: SignInEmailProps) {
  return (
    <EmailLayout preview={`Your sign-in link for ${host}`}>
      <Text style={{ fontSize: 16, color: "#111827", margin: "0 0 12px" }}>Sign in to Greenlight at {host}.</Text>
      <Button href={url} style={buttonStyle}>
        Sign in
      </Button>
      <Text style={{ fontSize: 13, color: "#374151", margin: "16px 0 0" }}>
        The link works once and expires in {expiresInHours} hours. If the button does not work, paste this address into
        your browser:
      </Text>
      <Link href={url} style={{ fontSize: 12, color: "#166534", wordBreak: "break-all" }}>
        {url}
      </Link>
      <Text style={{ fontSize: 13, color: "#374151", margin: "16px 0 0" }}>
        Did not ask for this? Ignore this email; nobody can sign in without the link.
      </Text>
    </EmailLayout>
  );
}

SignInEmail.PreviewProps = {
  url: "http://localhost:3000/api/auth/callback/email?token=preview-token&email=alice%40example.com",
  host: "localhost:3000",
  expiresInHours: 24,
} satisfies SignInEmailProps;
