import { render } from "@react-email/render";
import type { ReactElement } from "react";
import type { z } from "zod";
import BudgetAlertEmail, { BudgetAlertEmailProps, budgetAlertSubject } from "@/emails/budget-alert";
import RequestUpdateEmail, { RequestUpdateEmailProps, requestUpdateSubject } from "@/emails/request-update";
import SignInEmail, { SignInEmailProps, signInSubject } from "@/emails/sign-in";
import { parseInput } from "../validation";

// The registry of email templates: each has a props schema, a subject and a react-email component.
type Template<S extends z.ZodType> = {
  props: S;
  subject: (props: z.output<S>) => string;
  element: (props: z.output<S>) => ReactElement;
};
const define = <S extends z.ZodType>(t: Template<S>) => t;

export const TEMPLATES = {
  "sign-in": define({ props: SignInEmailProps, subject: signInSubject, element: (p) => <SignInEmail {...p} /> }),
  "budget-alert": define({ props: BudgetAlertEmailProps, subject: budgetAlertSubject, element: (p) => <BudgetAlertEmail {...p} /> }),
  "request-update": define({ props: RequestUpdateEmailProps, subject: requestUpdateSubject, element: (p) => <RequestUpdateEmail {...p} /> }),
};
export type TemplateName = keyof typeof TEMPLATES;
export type TemplateProps<N extends TemplateName> = z.input<(typeof TEMPLATES)[N]["props"]>;

export function subjectFor<N extends TemplateName>(name: N, props: TemplateProps<N>): string {
  const t = TEMPLATES[name] as Template<z.ZodType>;
  return t.subject(parseInput(t.props, props));
}

export async function renderTemplate(name: string, payload: unknown): Promise<{ html: string; text: string }> {
  const t = (TEMPLATES as Record<string, Template<z.ZodType>>)[name];
  if (!t) throw new Error(`Unknown email template "${name}"`);
  const element = t.element(parseInput(t.props, payload));
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text };
}
