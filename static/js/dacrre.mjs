// Starts GOV.UK Frontend components and our own. Kept out of the pages so that no inline script is
// needed (the Content-Security-Policy allows none).
import { initAll } from "../dist/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Conditional reveals under radios (GOV.UK's radios module shows and hides them). GOV.UK Frontend also
// sets aria-expanded on the radio, which ARIA does not allow on a radio (axe: aria-allowed-attr; GOV.UK
// Frontend issue 979): it is removed, and aria-controls kept. The same pass shows what belongs to an
// answer checked by script (the sign-in-again restore below), which GOV.UK's module only does on click.
function syncReveals() {
  for (const radio of document.querySelectorAll('input[type="radio"][aria-controls]')) {
    radio.removeAttribute("aria-expanded");
    const target = document.getElementById(radio.getAttribute("aria-controls"));
    if (target) target.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
  }
}
syncReveals();
document.addEventListener("click", syncReveals);
window.addEventListener("pageshow", syncReveals);

// The timeout warning (GOV.UK's pattern): a dialog shortly before the session would end, offering
// to stay signed in. The server renders the timings (data-*); every request renews the idle timeout,
// so the timer restarts after "Stay signed in" and after each htmx request.
function startTimeoutWarning(dialog) {
  const warningSeconds = Number(dialog.dataset.warningSeconds);
  let remainingSeconds = Number(dialog.dataset.remainingSeconds);
  const renewable = dialog.dataset.renewable === "1";
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const warningState = dialog.querySelector('[data-timeout-state="warning"]');
  const endedState = dialog.querySelector('[data-timeout-state="ended"]');
  let deadline = Date.now() + remainingSeconds * 1000;
  let warnTimer = null;
  let tick = null;

  // Whole minutes, then tens of seconds, then seconds: the text (read out by screen readers, the
  // paragraph is aria-live) changes no more often than it has to.
  const say = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    const shown = seconds > 20 ? Math.ceil(seconds / 10) * 10 : seconds;
    return `${shown} second${shown === 1 ? "" : "s"}`;
  };
  const open = () => {
    if (!dialog.open) dialog.showModal();
  };
  const showEnded = () => {
    clearInterval(tick);
    const signIn = endedState.querySelector("[data-timeout-sign-in]");
    signIn.href = `${signIn.pathname}?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    warningState.hidden = true;
    endedState.hidden = false;
    open();
  };
  const update = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const text = say(left);
    if (countdown.textContent !== text) countdown.textContent = text;
    if (left === 0) showEnded();
  };
  const schedule = () => {
    clearTimeout(warnTimer);
    clearInterval(tick);
    deadline = Date.now() + remainingSeconds * 1000;
    warnTimer = setTimeout(() => {
      countdown.textContent = say(Math.round((deadline - Date.now()) / 1000));
      warningState.hidden = false;
      endedState.hidden = true;
      open();
      tick = setInterval(update, 1000);
    }, Math.max(0, (remainingSeconds - warningSeconds) * 1000));
  };

  dialog.querySelector("[data-timeout-keep-alive]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        showEnded();
        return;
      }
      const timing = await response.json();
      remainingSeconds = timing.remaining_seconds;
      dialog.close();
      schedule();
    } catch {
      showEnded();
    }
  });
  dialog.querySelectorAll("[data-timeout-close]").forEach((button) =>
    button.addEventListener("click", () => dialog.close()),
  );
  document.body.addEventListener("htmx:afterRequest", () => {
    if (renewable && !dialog.open) schedule();
  });
  schedule();
}

const timeoutDialog = document.querySelector('[data-module="dacrre-timeout-warning"]');
if (timeoutDialog && typeof timeoutDialog.showModal === "function") startTimeoutWarning(timeoutDialog);

// A form posted after the session ended was kept on the server; after signing in again, its page
// carries the input (a JSON data block, not a script) and it is filled back in here, for the user to
// check and submit. Hidden inputs keep their fresh values (tokens, versions).
function fillKeptInput(block) {
  const { action, fields } = JSON.parse(block.textContent);
  const forms = [...document.querySelectorAll('main form[method="post" i]')];
  const form =
    forms.find((candidate) => new URL(candidate.action, window.location.href).pathname === action) || forms[0];
  if (!form) return;
  for (const [name, values] of Object.entries(fields)) {
    for (const element of form.elements) {
      if (element.name !== name || element.type === "hidden" || element.type === "file") continue;
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = values.includes(element.value);
        element.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (element.tagName === "SELECT") {
        for (const option of element.options) option.selected = values.includes(option.value);
      } else if (values.length) {
        element.value = values[0];
      }
    }
  }
}

const keptInput = document.getElementById("dacrre-kept-input");
if (keptInput) {
  fillKeptInput(keptInput);
  syncReveals();
}
