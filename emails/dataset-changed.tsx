import { Button, Section, Text } from "./components";
import { z } from "zod";
import { buttonStyle, EmailLayout } from "./layout";
import { absoluteUrl, nonEmpty, requestNumber } from "./parts";

// To the owners of model versions (the model's owner, the version's author) and the requesters of
// their open requests: a new version of a dataset changed columns those model versions were
// trained on. One email per person per dataset version, listing each model version and what changed.
const AffectedVersion = z.object({
  model: nonEmpty,
  version: nonEmpty,
  trainedOn: nonEmpty,
  sentences: z.array(nonEmpty).min(1).max(40),
  requests: z
    .array(z.object({ number: requestNumber, title: nonEmpty, url: absoluteUrl }))
    .max(50)
    .default([]),
});

export const DatasetChangedEmailProps = z.object({
  dataset: nonEmpty,
  version: nonEmpty,
  items: z.array(AffectedVersion).min(1).max(50),
  /** Model versions of this person's left out of the list (over 50). */
  more: z.number().int().min(0).default(0),
  url: absoluteUrl,
});
export type DatasetChangedEmailProps = z.input<typeof DatasetChangedEmailProps>;

export const datasetChangedSubject = (p: z.output<typeof DatasetChangedEmailProps>) =>
  `${p.dataset} ${p.version} changed columns that ${p.items.length === 1 ? `${p.items[0]!.model} ${p.items[0]!.version} uses` : `${p.items.length + p.more} model versions use`}`;

export default function DatasetChangedEmail(props: DatasetChangedEmailProps) {
  const p = DatasetChangedEmailProps.parse(props);
  return (
    <EmailLayout preview={datasetChangedSubject(p)}>
      <Text style={{ fontSize: 16, fontWeight: 600, color: "#111827", margin: "0 0 12px" }}>
        A dataset changed under a model you look after
      </Text>
      <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 12px" }}>
        Version {p.version} of the dataset {p.dataset} changes columns that these model versions were trained on. Check
        that they still read the data the way they were trained to.
      </Text>
      {p.items.map((item) => (
        <Section key={`${item.model}@${item.version}`} style={{ margin: "0 0 12px" }}>
          <Text style={{ fontSize: 14, fontWeight: 600, color: "#111827", margin: "0 0 4px" }}>
            {item.model} {item.version} (trained on {p.dataset} {item.trainedOn})
          </Text>
          {item.sentences.map((sentence) => (
            <Text key={sentence} style={{ fontSize: 14, color: "#374151", margin: "0 0 4px" }}>
              {sentence}
            </Text>
          ))}
          {item.requests.map((r) => (
            <Text key={r.number} style={{ fontSize: 13, color: "#4b5563", margin: "0 0 4px" }}>
              Open request CR-{r.number} · {r.title}: {r.url}
            </Text>
          ))}
        </Section>
      ))}
      {p.more > 0 && (
        <Text style={{ fontSize: 13, color: "#4b5563", margin: "0 0 12px" }}>
          And {p.more} more model versions: see the dataset&apos;s page.
        </Text>
      )}
      <Button href={p.url} style={buttonStyle}>
        See what changed
      </Button>
    </EmailLayout>
  );
}

DatasetChangedEmail.PreviewProps = {
  dataset: "transactions",
  version: "v2",
  items: [
    {
      model: "fraud-detector",
      version: "v3",
      trainedOn: "v1",
      sentences: ["column `amount` changed meaning since this model was trained: cents -> dollars"],
      requests: [
        { number: 1042, title: "Deploy fraud-detector v3 to production", url: "http://localhost:3000/requests/1042" },
      ],
    },
  ],
  more: 0,
  url: "http://localhost:3000/datasets/transactions/diff?from=v1&to=v2",
} satisfies DatasetChangedEmailProps;
