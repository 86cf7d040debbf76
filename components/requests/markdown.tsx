import ReactMarkdown from "react-markdown";

// Descriptions and comments are Markdown written by users: rendered to React elements only. Raw HTML
// is never passed through (react-markdown escapes it), and unsafe link protocols are dropped.
export function Markdown({ source }: { source: string }) {
  return (
    <div className="prose-sm max-w-none space-y-2 text-sm leading-relaxed [&_a]:text-primary [&_a]:underline [&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_h1]:text-base [&_h1]:font-semibold [&_h2]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-muted [&_pre]:p-2 [&_ul]:list-disc">
      <ReactMarkdown skipHtml>{source}</ReactMarkdown>
    </div>
  );
}
