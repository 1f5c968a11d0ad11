// The cards a turn can wait on (a tool call to allow, contact details, choices, a one-time
// code): real forms, labelled, keyboard-ready, errors tied to their fields.

import { element, t } from "./words.js";

const FIELD_INPUTS = {
  name: { type: "text", autocomplete: "name" },
  email: { type: "email", autocomplete: "email", inputmode: "email" },
  phone: { type: "tel", autocomplete: "tel", inputmode: "tel" },
};
let cards = 0;

function card(heading, lead) {
  const id = ((number) => (name) => `smooth-card-${number}-${name}`)(++cards);
  const form = element("form", { class: "smooth-card", "aria-labelledby": id("heading"), novalidate: "" });
  form.append(element("h3", { id: id("heading"), class: "smooth-card-title" }, heading), element("p", { class: "smooth-card-lead" }, lead));
  const problem = element("p", { class: "smooth-card-problem", role: "alert", hidden: "" });
  return { form, id, problem };
}

function buttons(primary, secondary) {
  const row = element("div", { class: "smooth-card-buttons" });
  const no = element("button", { type: "button", class: "smooth-secondary" }, secondary);
  row.append(element("button", { type: "submit" }, primary), no);
  return { row, no };
}

function busy(form, on) {
  for (const control of form.querySelectorAll("button, input")) control.disabled = on;
}

function fail(parts, text) {
  parts.problem.textContent = text;
  parts.problem.hidden = !text;
}

// The card's controls wait while `onAnswer(answer)` is under way; a refusal is shown on the card.
function answering(parts, onAnswer) {
  return (answer) => {
    busy(parts.form, true);
    return onAnswer(answer).catch((error) => {
      busy(parts.form, false);
      fail(parts, error.message);
    });
  };
}

// Send and decline: the form's submit sends what `collect()` read, the second button declines.
function sendOrDecline(parts, labels, collect, onSubmit) {
  const { row, no } = buttons(...labels);
  parts.form.append(parts.problem, row);
  const send = answering(parts, onSubmit);
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    send({ values: collect() });
  });
  no.addEventListener("click", () => send({ declined: true }));
  return no;
}

// Marks what a server refused: `fields` is [[field, errorNode, describedNode, focusable]].
function markErrors(parts, fields, errors, message) {
  busy(parts.form, false);
  fail(parts, message);
  let first = null;
  for (const [field, error, described, focusable] of fields) {
    const found = errors.find((item) => item.field === field);
    error.textContent = found ? found.message : "";
    error.hidden = !found;
    if (found) {
      described.setAttribute("aria-describedby", error.id);
      if (described.tagName === "INPUT") described.setAttribute("aria-invalid", "true");
      first = first || focusable;
    } else {
      described.removeAttribute("aria-describedby");
      described.removeAttribute("aria-invalid");
    }
  }
  return first;
}

// A question with two answers (labels): onAnswer(yes) -> Promise. `no`: the second button.
export function askCard(heading, lead, labels, onAnswer, action = null) {
  const parts = card(heading, lead);
  if (action) parts.form.append(element("p", { class: "smooth-card-action" }, action));
  const no = sendOrDecline(parts, labels, () => true, (answer) => onAnswer(!answer.declined));
  return { node: parts.form, focus: () => parts.form.querySelector("button").focus(), no };
}

export const confirmCard = ({ description }, onAnswer) => askCard(t("Allow this action?"), t("The assistant wants to:"), [t("Allow"), t("Don't allow")], onAnswer, description);

// onSubmit({values} | {declined: true}) -> Promise; showErrors(errors) marks the fields.
export function identityCard({ spec, reason }, onSubmit) {
  const parts = card(t("Your contact details"), t("The assistant asks for them {reason}.", { reason }));
  const inputs = new Map();
  for (const field of spec.fields) {
    const row = element("div", { class: "smooth-field" });
    const error = element("p", { id: parts.id(`${field.key}-error`), class: "smooth-field-error", hidden: "" });
    const input = element("input", { id: parts.id(field.key), name: field.key, ...FIELD_INPUTS[field.key] });
    if (field.required) {
      input.required = true;
      input.setAttribute("aria-required", "true");
    }
    const label = field.label || { name: t("Your name"), email: t("Email"), phone: t("Phone") }[field.key];
    const labelNode = element("label", { for: parts.id(field.key) }, field.required ? label : t("{label} (optional)", { label }));
    row.append(labelNode, input, error);
    parts.form.append(row);
    inputs.set(field.key, { input, error });
  }
  const collect = () => {
    const values = {};
    for (const [key, { input }] of inputs) if (input.value.trim()) values[key] = input.value.trim();
    return values;
  };
  sendOrDecline(parts, [t("Send"), t("No thanks")], collect, onSubmit);
  return {
    node: parts.form,
    focus: () => parts.form.querySelector("input")?.focus(),
    showErrors(errors, message) {
      const fields = [...inputs].map(([key, { input, error }]) => [key, error, input, input]);
      (markErrors(parts, fields, errors, message) || parts.form.querySelector("input"))?.focus();
    },
  };
}

// onSubmit({values: {answers}} | {declined: true}) -> Promise
export function choicesCard({ spec, reason }, onSubmit) {
  const parts = card(t("A quick question"), t("The assistant asks {reason}.", { reason }));
  const questions = [];
  spec.questions.forEach((question, index) => {
    const set = element("fieldset", { class: "smooth-choices" });
    set.append(element("legend", {}, question.question));
    const error = element("p", { id: parts.id(`q${index}-error`), class: "smooth-field-error", hidden: "" });
    const chips = element("div", { class: "smooth-chips" });
    const options = question.options.map((option, optionIndex) => {
      const input = element("input", {
        type: question.multiSelect ? "checkbox" : "radio",
        name: parts.id(`q${index}`),
        id: parts.id(`q${index}-o${optionIndex}`),
        value: option.label,
      });
      const chip = element("label", { class: "smooth-chip", for: parts.id(`q${index}-o${optionIndex}`) });
      chip.append(input, document.createTextNode(option.label));
      if (option.description) chip.title = option.description;
      chips.append(chip);
      return input;
    });
    const other = element("input", { type: "text", id: parts.id(`q${index}-other`), class: "smooth-other" });
    const otherLabel = element("label", { for: parts.id(`q${index}-other`), class: "smooth-other-label" }, t("Or in your own words"));
    set.append(chips, otherLabel, other, error);
    parts.form.append(set);
    questions.push({ question, options, other, error, set });
  });
  const collect = () => ({
    answers: questions.map(({ question, options, other }) => {
      const answer = { header: question.header, options: options.filter((input) => input.checked).map((input) => input.value) };
      if (other.value.trim()) answer.other = other.value.trim();
      return answer;
    }),
  });
  sendOrDecline(parts, [t("Send"), t("Skip")], collect, onSubmit);
  return {
    node: parts.form,
    focus: () => parts.form.querySelector("input")?.focus(),
    showErrors(errors, message) {
      const fields = questions.map(({ question, error, set }) => [question.header, error, set, set.querySelector("input")]);
      markErrors(parts, fields, errors, message)?.focus();
    },
  };
}

// onCode(code) -> Promise of the verify_otp answer event
export function codeCard(onCode, onDismiss) {
  const parts = card(t("Verify it's you"), t("We are sending you a one-time code."));
  const lead = parts.form.querySelector(".smooth-card-lead");
  const row = element("div", { class: "smooth-field" });
  const input = element("input", { id: parts.id("code"), name: "code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "10", required: "" });
  row.append(element("label", { for: parts.id("code") }, t("Code")), input);
  const { row: actions, no } = buttons(t("Verify"), t("Not now"));
  parts.form.append(row, parts.problem, actions);
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) return fail(parts, t("Enter the code you received."));
    verify(input.value.trim());
  });
  const verify = answering(parts, (code) =>
    onCode(code).then((answer) => {
      busy(parts.form, false);
      if (answer.type === "otp_verified") return;
      const { message, attemptsRemaining } = answer.data.data;
      fail(parts, attemptsRemaining > 0 ? t("{message} Tries left: {count}.", { message, count: attemptsRemaining }) : t("{message} Ask again to get a new code.", { message }));
      if (attemptsRemaining === 0) busy(parts.form, true);
      else input.select();
    }),
  );
  no.addEventListener("click", onDismiss);
  return {
    node: parts.form,
    focus: () => input.focus(),
    sent({ maskedDestination }) {
      lead.textContent = t("We sent a code to {destination}.", { destination: maskedDestination });
    },
  };
}
