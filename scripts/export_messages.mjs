// Builds fixtures/messages/nodemailer/: real corpus templates composed into whole messages by
// nodemailer, the Node.js sender most ESP integrations use, as it would put them on the wire.
// presend's own tests wrap templates with Python's email package; these bytes come from a
// different MIME writer (its header folding, boundaries, quoted-printable and base64 lines),
// so the .eml reader is tested against output it was not written alongside.
//
// Regenerate (needs Node.js): npm install --prefix /tmp/exporter nodemailer@10.6.1 html-to-text@9.0.5
//   NODE_PATH=/tmp/exporter/node_modules node scripts/export_messages.mjs
// Boundaries and Message-IDs come out new each time; the manifest says what each message is.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const nodemailer = require("nodemailer");
const { convert } = require("html-to-text");

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = join(root, "fixtures", "email", "corpus");
const out = join(root, "fixtures", "messages", "nodemailer");
mkdirSync(out, { recursive: true });

// name, template, subject, how the HTML is encoded, and what the sender left out on purpose:
// "text" (no plain-text alternative), "list" (no List-Unsubscribe headers), "name" (a bare
// From address). A clean message is what a careful team sends.
const MESSAGES = [
  ["cerberus-hybrid", "Cerberus/cerberus-hybrid.html", "Our spring collection is here", "quoted-printable", []],
  ["antwort-two-cols", "antwort/two-cols-simple_build.html", "Two new guides for your team", "base64", []],
  ["konsav-promotional", "konsav-email-templates/promotional.html", "48 hours only: 30% off everything", "quoted-printable", ["list"]],
  ["sendgrid-newsletter", "sendgrid-email-templates/dynamic-templates_newsletter_news_feed.html", "This week's news feed", "base64", ["text"]],
  ["postmark-welcome", "postmark-templates/templates_basic_welcome_content.html", "Welcome to Acme", "quoted-printable", []],
  ["mailgun-billing", "transactional-email-templates/templates_billing.html", "Your receipt from Acme", "quoted-printable", ["name"]],
  ["leemunroe-inlined", "responsive-html-email-template/email-inlined.html", "A quick update from Acme", "base64", []],
  ["foundation-newsletter", "foundation-emails-ink1/v1.0.0_templates_examples_newsletter.html", "The Acme newsletter, issue 12", "quoted-printable", ["text", "list"]],
  ["colorlib-10", "colorlib-email-templates/10_index.html", "Meet the team behind Acme", "base64", []],
  ["mailjet-receipt", "mailjet-templating-samples/samples_ecommerce_receipt_template_design.html", "Order 1042 is on its way", "quoted-printable", []],
  ["sendwithus-airmail", "sendwithus-templates/templates_airmail_confirm.html", "Please confirm your email address", "base64", []],
  ["boilerplate", "email-boilerplate/email.html", "Hello from Acme", "quoted-printable", []],
];

// The stream transport hands back the bytes SMTP would carry (CRLF line ends), List-*
// headers made from `list` as nodemailer's other transports make them.
const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
const manifest = [];
for (const [name, template, subject, encoding, omitted] of MESSAGES) {
  const html = readFileSync(join(corpus, template), "utf8");
  const mail = {
    from: omitted.includes("name") ? "news@acme.example" : { name: "Acme News", address: "news@acme.example" },
    to: "ann@example.com",
    subject,
    html,
    textEncoding: encoding,
    date: new Date("2026-12-01T09:00:00Z"),
    messageId: `<${name}@acme.example>`,
  };
  if (!omitted.includes("text")) {
    mail.text = convert(html, { wordwrap: 76, selectors: [{ selector: "img", format: "skip" }] });
  }
  if (!omitted.includes("list")) {
    mail.list = { unsubscribe: { url: `https://acme.example/u/${name}`, comment: "Unsubscribe" } };
    mail.headers = { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
  }
  const { message } = await transport.sendMail(mail);
  writeFileSync(join(out, `${name}.eml`), message);
  manifest.push({ message: `${name}.eml`, template, encoding, omitted });
}
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
