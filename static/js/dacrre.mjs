// Starts GOV.UK Frontend components. Kept out of the pages so that no inline script is needed.
import { initAll } from "../dist/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
