// Copies the built JavaScript of GOV.UK Frontend and htmx into static/dist (not committed).
import { cpSync, mkdirSync } from "node:fs";

mkdirSync("static/dist", { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", "static/dist/govuk-frontend.min.js");
cpSync("node_modules/htmx.org/dist/htmx.min.js", "static/dist/htmx.min.js");
