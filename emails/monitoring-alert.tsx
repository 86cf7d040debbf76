import { Button, Text } from "./components";
import { z } from "zod";
import { buttonStyle, EmailLayout } from "./layout";

// To the request's requester (the model's team) and the ML leads: a monitoring alert on a live
// version opened a rollback or retraining request, or fired again on the one it opened.
export const MonitoringAlertEmailProps = z.object({
  number: z.number().int().positive(),
  title: z.string().min(1),
  alert: z.string().min(1),
  model: z.string().min(1),
  version: z.string().min(1),
  environment: z.string().min(1),
  action: z.enum(["rollback", "retrain"]),
  // opened: this alert opened the request; again: it fired again after resolving (or with a new start).
  happened: z.enum(["opened", "again"]),
  summary: z.string().default(""),
  link: z.string().default(""),
  url: z.url(),
});
export type MonitoringAlertEmailProps = z.input<typeof MonitoringAlertEmailProps>;

export const monitoringAlertSubject = (p: z.output<typeof MonitoringAlertEmailProps>) =>
  p.happened === "opened"
    ? `[CR-${p.number}] ${p.alert} firing on ${p.model} ${p.version} in ${p.environment}: ${p.action === "rollback" ? "rollback" : "retraining"} requested`
    : `[CR-${p.number}] ${p.alert} is firing again on ${p.model} ${p.version} in ${p.environment}`;

export default function MonitoringAlertEmail(props: MonitoringAlertEmailProps) {
  const p = MonitoringAlertEmailProps.parse(props);
  const headline =
    p.happened === "opened"
      ? `A monitoring alert opened a ${p.action === "rollback" ? "rollback" : "retraining"} request`
      : "A monitoring alert fired again";
  return (
    <EmailLayout preview={monitoringAlertSubject(p)}>
      <Text style={{ fontSize: 13, color: "#4b5563", margin: "0 0 4px" }}>
        CR-{p.number} · {p.title}
      </Text>
      <Text style={{ fontSize: 16, fontWeight: 600, color: "#111827", margin: "0 0 12px" }}>{headline}</Text>
      <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 12px" }}>
        {p.alert} is firing on {p.model} {p.version}, live in {p.environment}.{" "}
        {p.happened === "opened"
          ? "Greenlight filed this request on behalf of the model's team and sent it to the approvers its policy names."
          : "It is noted on the request it opened earlier."}
      </Text>
      {p.summary && (
        <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 12px", whiteSpace: "pre-wrap" }}>{p.summary}</Text>
      )}
      {p.link && <Text style={{ fontSize: 13, color: "#4b5563", margin: "0 0 16px" }}>Where it fired: {p.link}</Text>}
      <Button href={p.url} style={buttonStyle}>
        Open the request
      </Button>
    </EmailLayout>
  );
}

MonitoringAlertEmail.PreviewProps = {
  number: 1042,
  title: "Roll back fraud-detector v3 in production: HighErrorRate firing",
  alert: "HighErrorRate",
  model: "fraud-detector",
  version: "v3",
  environment: "production",
  action: "rollback",
  happened: "opened",
  summary: "Error rate above 5% for 10 minutes",
  link: "http://prometheus.example.com:9090/graph?g0.expr=error_rate",
  url: "http://localhost:3000/requests/1042",
} satisfies MonitoringAlertEmailProps;
