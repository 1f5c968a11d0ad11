// The cards a turn can wait on, shown above the message box: a tool call to allow,
// contact details to give (identity_intake), questions to pick answers for (choices),
// and a one-time code to enter. Each is a real form: labelled controls, Tab and Enter
// work, errors are tied to their fields. Text is only ever set as text.

const FIELD_LABELS = { name: "Your name", email: "Email", phone: "Phone" };
const FIELD_INPUTS = {
  name: { type: "text", autocomplete: "name" },
  email: { type: "email", autocomplete: "email", inputmode: "email" },
  phone: { type: "tel", autocomplete: "tel", inputmode: "tel" },
};
let cards = 0;

function element(doc, tag, attributes = {}, text = null) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

function card(doc, heading, lead) {
  cards += 1;
  const id = (name) => `smooth-card-${cards}-${name}`;
  const form = element(doc, "form", { class: "smooth-card", "aria-labelledby": id("heading"), novalidate: "" });
  form.append(element(doc, "h3", { id: id("heading"), class: "smooth-card-title" }, heading));
  if (lead) form.append(element(doc, "p", { class: "smooth-card-lead" }, lead));
  const problem = element(doc, "p", { class: "smooth-card-problem", role: "alert" });
  problem.hidden = true;
  return { form, id, problem };
}

function buttons(doc, primary, secondary) {
  const row = element(doc, "div", { class: "smooth-card-buttons" });
  const yes = element(doc, "button", { type: "submit" }, primary);
  const no = element(doc, "button", { type: "button", class: "smooth-secondary" }, secondary);
  row.append(yes, no);
  return { row, yes, no };
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
function sendOrDecline(doc, parts, labels, collect, onSubmit) {
  const { row, no } = buttons(doc, ...labels);
  parts.form.append(parts.problem, row);
  const send = answering(parts, onSubmit);
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    send({ values: collect() });
  });
  no.addEventListener("click", () => send({ declined: true }));
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

// onAnswer(approved) -> Promise
export function confirmCard(doc, { description }, onAnswer) {
  const parts = card(doc, "Allow this action?", "The assistant wants to:");
  parts.form.append(element(doc, "p", { class: "smooth-card-action" }, description));
  const { row, no } = buttons(doc, "Allow", "Don't allow");
  parts.form.append(parts.problem, row);
  const answer = answering(parts, onAnswer);
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    answer(true);
  });
  no.addEventListener("click", () => answer(false));
  return { node: parts.form, focus: () => parts.form.querySelector("button").focus() };
}

// onSubmit({values} | {declined: true}) -> Promise; showErrors(errors) marks the fields.
export function identityCard(doc, { spec, reason }, onSubmit) {
  const parts = card(doc, "Your contact details", `The assistant asks for them ${reason}.`);
  const inputs = new Map();
  for (const field of spec.fields) {
    const row = element(doc, "div", { class: "smooth-field" });
    const error = element(doc, "p", { id: parts.id(`${field.key}-error`), class: "smooth-field-error" });
    error.hidden = true;
    const input = element(doc, "input", { id: parts.id(field.key), name: field.key, ...FIELD_INPUTS[field.key] });
    if (field.required) {
      input.required = true;
      input.setAttribute("aria-required", "true");
    }
    const label = element(doc, "label", { for: parts.id(field.key) }, `${field.label || FIELD_LABELS[field.key]}${field.required ? "" : " (optional)"}`);
    row.append(label, input, error);
    parts.form.append(row);
    inputs.set(field.key, { input, error });
  }
  const collect = () => {
    const values = {};
    for (const [key, { input }] of inputs) if (input.value.trim()) values[key] = input.value.trim();
    return values;
  };
  sendOrDecline(doc, parts, ["Send", "No thanks"], collect, onSubmit);
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
export function choicesCard(doc, { spec, reason }, onSubmit) {
  const parts = card(doc, "A quick question", `The assistant asks ${reason}.`);
  const questions = [];
  spec.questions.forEach((question, index) => {
    const set = element(doc, "fieldset", { class: "smooth-choices" });
    set.append(element(doc, "legend", {}, question.question));
    const error = element(doc, "p", { id: parts.id(`q${index}-error`), class: "smooth-field-error" });
    error.hidden = true;
    const chips = element(doc, "div", { class: "smooth-chips" });
    const options = question.options.map((option, optionIndex) => {
      const input = element(doc, "input", {
        type: question.multiSelect ? "checkbox" : "radio",
        name: parts.id(`q${index}`),
        id: parts.id(`q${index}-o${optionIndex}`),
        value: option.label,
      });
      const chip = element(doc, "label", { class: "smooth-chip", for: parts.id(`q${index}-o${optionIndex}`) });
      chip.append(input, doc.createTextNode(option.label));
      if (option.description) chip.title = option.description;
      chips.append(chip);
      return input;
    });
    const other = element(doc, "input", { type: "text", id: parts.id(`q${index}-other`), class: "smooth-other" });
    const otherLabel = element(doc, "label", { for: parts.id(`q${index}-other`), class: "smooth-other-label" }, "Or in your own words");
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
  sendOrDecline(doc, parts, ["Send", "Skip"], collect, onSubmit);
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
export function codeCard(doc, onCode, onDismiss) {
  const parts = card(doc, "Verify it's you", "We are sending you a one-time code.");
  const lead = parts.form.querySelector(".smooth-card-lead");
  const row = element(doc, "div", { class: "smooth-field" });
  const input = element(doc, "input", { id: parts.id("code"), name: "code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "10", required: "" });
  row.append(element(doc, "label", { for: parts.id("code") }, "Code"), input);
  const { row: actions, no } = buttons(doc, "Verify", "Not now");
  parts.form.append(row, parts.problem, actions);
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) return fail(parts, "Enter the code you received.");
    busy(parts.form, true);
    onCode(input.value.trim())
      .then((answer) => {
        busy(parts.form, false);
        if (answer.type === "otp_verified") return;
        const { message, attemptsRemaining } = answer.data.data;
        fail(parts, attemptsRemaining > 0 ? `${message} Tries left: ${attemptsRemaining}.` : `${message} Ask again to get a new code.`);
        if (attemptsRemaining === 0) busy(parts.form, true);
        else input.select();
      })
      .catch((error) => {
        busy(parts.form, false);
        fail(parts, error.message);
      });
  });
  no.addEventListener("click", onDismiss);
  return {
    node: parts.form,
    focus: () => input.focus(),
    sent({ maskedDestination }) {
      lead.textContent = `We sent a code to ${maskedDestination}.`;
    },
  };
}
