// The react-email building blocks the templates use, each from its own package. The umbrella
// @react-email/components also loads Tailwind, Markdown and a code highlighter on every import (0.9 s
// against 0.36 s here), and every CLI command, test file and server start imports the templates.
export { Body } from "@react-email/body";
export { Button } from "@react-email/button";
export { Container } from "@react-email/container";
export { Head } from "@react-email/head";
export { Hr } from "@react-email/hr";
export { Html } from "@react-email/html";
export { Link } from "@react-email/link";
export { Preview } from "@react-email/preview";
export { Section } from "@react-email/section";
export { Text } from "@react-email/text";
