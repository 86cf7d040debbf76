import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";

type Option = { value: string; label: string };

/** A labelled native select for GET filter forms: "Any" first, then the options. */
export function FilterSelect({
  id,
  label,
  name,
  value,
  options,
  any = "Any",
}: {
  id: string;
  label: string;
  name: string;
  value?: string;
  options: Option[];
  any?: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id}>{label}</Label>
      <NativeSelect id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

export const asOptions = (values: readonly string[], label: (v: string) => string = (v) => v.replace("_", " ")) =>
  values.map((value) => ({ value, label: label(value) }));
