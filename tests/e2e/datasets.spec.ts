import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

// A Fraud manager puts a dataset in the data dictionary: adds it, imports its Table Schema (a bad
// one first, refused at its JSON path), edits it into a second version, compares the two, and finds
// it by a column's name.

const field = (unit: string) => ({
  name: "amount",
  type: "integer",
  title: "Amount",
  description: "What the card was charged.",
  example: 1250,
  constraints: { required: true, minimum: 0 },
  "greenlight:unit": unit,
  "greenlight:populatedBy": "Ledger export, nightly",
  "greenlight:owningTeam": "Fraud",
});
const schema = (unit: string) =>
  JSON.stringify(
    {
      fields: [
        { name: "transaction_id", type: "string", format: "uuid", constraints: { required: true, unique: true } },
        field(unit),
        { name: "channel", type: "string", constraints: { enum: ["web", "app", "pos"] } },
        { name: "is_fraud", type: "boolean", description: "Confirmed chargeback for fraud." },
      ],
      primaryKey: ["transaction_id"],
      missingValues: ["", "NA"],
    },
    null,
    2,
  );

test("a manager adds a dataset, imports and edits its Table Schema, compares versions and searches", async ({
  page,
}) => {
  await signInAs(page, "maya@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data", exact: true }).click();
  await expect(page.getByRole("heading", { name: "No datasets in the dictionary yet" })).toBeVisible();
  await screenshot(page, "datasets-empty");
  await expectNoAxeViolations(page);

  const add = page.getByRole("form", { name: "Add a dataset" });
  await add.getByLabel("Name").fill("card-transactions");
  await add.getByLabel("Description").fill("Card transactions, one row per ledger line.");
  await add.getByRole("button", { name: "Add dataset" }).click();
  await expect(page.getByText("Dataset card-transactions added").first()).toBeVisible();
  await page.getByRole("list", { name: "Datasets" }).getByRole("link", { name: "card-transactions" }).click();
  await expect(page.getByRole("heading", { name: "No version yet" })).toBeVisible();

  const form = page.getByRole("form", { name: "New dataset version" });
  const box = form.getByLabel("Table Schema (JSON)");
  await form.getByLabel("Version label").fill("v1");
  await box.fill(JSON.stringify({ fields: [{ name: "a" }, { name: "b", type: "money" }] }));
  await form.getByRole("button", { name: "Save version" }).click();
  await expect(form.getByText(/^fields\[1\]\.type: A field type is one of/)).toBeVisible();
  // A schema file, loaded into the box.
  await form.getByLabel("Or load a file").setInputFiles({
    name: "schema.json",
    mimeType: "application/json",
    buffer: Buffer.from(schema("cents")),
  });
  await expect(box).toHaveValue(/"greenlight:unit": "cents"/);
  await form.getByRole("button", { name: "Save version" }).click();
  await expect(page.getByText("card-transactions v1 saved (4 columns).").first()).toBeVisible();
  const columns = page.getByRole("list", { name: "Columns" });
  await expect(columns).toContainText("cents");
  await expect(columns).toContainText("Ledger export, nightly");
  await expect(columns).toContainText('one of "web", "app", "pos"');

  // Editing is a new version: the box holds v1's own export; change the unit and save it as v2.
  await expect(box).toHaveValue(/"greenlight:unit": "cents"/);
  await form.getByLabel("Version label").fill("v2");
  await form.getByLabel("What changed (optional)").fill("Amounts are in dollars now");
  await box.fill(schema("dollars"));
  await form.getByRole("button", { name: "Save version" }).click();
  await expect(page.getByText("card-transactions v2 saved (4 columns).").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Columns in v2" })).toBeVisible();
  await screenshot(page, "dataset");
  await expectNoAxeViolations(page);

  await page.getByRole("list", { name: "Versions" }).getByRole("link", { name: "What changed since v1" }).click();
  await expect(page.getByRole("heading", { name: "What changed in card-transactions" })).toBeVisible();
  const changed = page.getByRole("region", { name: "Changed columns" });
  await expect(changed).toContainText("amount");
  await expect(changed).toContainText("meaning");
  await expect(changed).toContainText("cents → dollars");
  await screenshot(page, "dataset-diff");
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "← card-transactions" }).click();
  await page.getByRole("list", { name: "Versions" }).getByRole("link", { name: "v1", exact: true }).click();
  await expect(page.getByRole("heading", { name: "card-transactions v1" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Columns" })).toContainText("cents");
  await screenshot(page, "dataset-version");

  await page.goto("/datasets");
  await page.getByRole("searchbox").or(page.getByLabel("Search datasets and columns")).first().fill("is_fraud");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("list", { name: "Datasets" })).toContainText("card-transactions");
  await expect(page.getByRole("list", { name: "Datasets" })).toContainText("v2 · 4 columns · 2 versions");
  await screenshot(page, "datasets");
  await expectNoAxeViolations(page);
  await page.getByLabel("Search datasets and columns").fill("no-such-column");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: "Nothing matches “no-such-column”" })).toBeVisible();
});

test("a new dataset version changing a column a model in review uses puts a notice on its request page", async ({
  page,
}) => {
  await signInAs(page, "ada@example.com");
  const origin = new URL(page.url()).origin;
  const api = (path: string, data: unknown) => page.request.post(path, { data, headers: { origin } });

  await page.goto("/datasets");
  const add = page.getByRole("form", { name: "Add a dataset" });
  await add.getByLabel("Name").fill("ledger-lines");
  await add.getByLabel("Owner team").selectOption({ label: "Fraud" });
  await add.getByRole("button", { name: "Add dataset" }).click();
  await expect(page.getByText("Dataset ledger-lines added").first()).toBeVisible();
  await page.goto("/datasets/ledger-lines");
  const form = page.getByRole("form", { name: "New dataset version" });
  await form.getByLabel("Version label").fill("v1");
  await form.getByLabel("Table Schema (JSON)").fill(schema("cents"));
  await form.getByRole("button", { name: "Save version" }).click();
  await expect(page.getByText("ledger-lines v1 saved (4 columns).").first()).toBeVisible();

  const registered = await api("/api/v1/models/fraud-detector/versions", {
    version: "e2e-ledger-1",
    sourceUri: "s3://ml-artifacts/fraud-detector/e2e-ledger-1/model.bin",
    framework: "xgboost 2.0",
    hyperparameters: {},
    metrics: {},
    dataset: { name: "ledger-lines", version: "v1" },
    features: ["amount", "channel"],
    label: "is_fraud",
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const filed = await api("/api/v1/requests", {
    model: "fraud-detector",
    version: "e2e-ledger-1",
    environment: "staging",
    title: "Ship the ledger-trained fraud detector to staging",
  });
  expect(filed.status(), await filed.text()).toBe(201);
  const { number } = (await filed.json()) as { number: number };
  expect((await api(`/api/v1/requests/${number}/submit`, {})).status()).toBe(200);

  await page.goto("/datasets/ledger-lines");
  await form.getByLabel("Version label").fill("v2");
  await form.getByLabel("Table Schema (JSON)").fill(schema("dollars"));
  await form.getByRole("button", { name: "Save version" }).click();
  await expect(page.getByText(/1 model version using a changed column was flagged/).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Model versions using this dataset" })).toContainText(
    "fraud-detector e2e-ledger-1",
  );

  await page.goto(`/requests/${number}`);
  const notice = page.getByTestId("dataset-changes");
  await expect(notice).toContainText("column `amount` changed meaning since this model was trained: cents -> dollars");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("published ledger-lines v2");
  await screenshot(page, "request-dataset-changed");
  await expectNoAxeViolations(page);
  await notice.getByRole("link", { name: "See what changed in the data dictionary" }).click();
  await expect(page.getByRole("region", { name: "Changed columns" })).toContainText("cents → dollars");
});
