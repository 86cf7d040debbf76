import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";

const FIELDS = [
  { name: "version", label: "Version label", placeholder: "v4" },
  { name: "framework", label: "Framework", placeholder: "xgboost 2.0" },
  { name: "sourceUri", label: "Artifact or source URI", placeholder: "s3://ml-artifacts/model/v4/model.bin" },
  { name: "gitCommit", label: "Git commit (optional)", placeholder: "3f9c2a1" },
  {
    name: "artifactDigest",
    label: "Artifact digest (needed for production)",
    placeholder: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  },
  { name: "trainingRunId", label: "Training run id (optional)", placeholder: "mlflow:4b1c…" },
  { name: "datasetName", label: "Dataset", placeholder: "transactions" },
  { name: "datasetVersion", label: "Dataset version", placeholder: "2026-11" },
  // With features or a label, the dataset and version above must be in the data dictionary.
  { name: "features", label: "Feature columns (optional, comma-separated)", placeholder: "amount, merchant_id" },
  { name: "label", label: "Label column (optional)", placeholder: "is_fraud" },
];

export function RegisterVersionForm({
  model,
  action,
}: {
  model: string;
  action: (form: FormData) => Promise<ActionResult>;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Register a version</CardTitle>
        <CardDescription>
          Versions are immutable: once registered, what a request approves is exactly what ships.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ActionForm
          action={action}
          resetOnSuccess
          className="grid gap-4 md:grid-cols-3"
          aria-label="Register a version"
        >
          <input type="hidden" name="model" value={model} />
          {FIELDS.map((f) => (
            <div key={f.name} className="flex flex-col gap-1.5">
              <Label htmlFor={`v-${f.name}`}>{f.label}</Label>
              <Input
                id={`v-${f.name}`}
                name={f.name}
                placeholder={f.placeholder}
                aria-describedby={`v-${f.name}-error`}
              />
              <FormFieldError name={f.name} id={`v-${f.name}-error`} />
            </div>
          ))}
          <div className="flex flex-col gap-1.5 md:col-span-3 lg:col-span-1">
            <Label htmlFor="v-hyperparameters">Hyperparameters (JSON)</Label>
            <Textarea
              id="v-hyperparameters"
              name="hyperparameters"
              rows={4}
              className="font-mono text-xs"
              placeholder='{"max_depth": 6, "eta": 0.1}'
              aria-describedby="v-hyperparameters-error"
            />
            <FormFieldError name="hyperparameters" id="v-hyperparameters-error" />
          </div>
          <div className="flex flex-col gap-1.5 md:col-span-3 lg:col-span-2">
            <Label htmlFor="v-metrics">Metrics (JSON)</Label>
            <Textarea
              id="v-metrics"
              name="metrics"
              rows={4}
              className="font-mono text-xs"
              placeholder='{"auc": 0.95}'
              aria-describedby="v-metrics-error"
            />
            <FormFieldError name="metrics" id="v-metrics-error" />
          </div>
          <div className="md:col-span-3">
            <SubmitButton pendingLabel="Registering…">Register version</SubmitButton>
          </div>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
