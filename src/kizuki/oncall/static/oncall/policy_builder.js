// The escalation policy step builder (oncall/_step_builder.html), enhanced. Without
// JavaScript everything works through the server: every control shows, and each builder
// button (a submit button named "op") asks the server to change the rows and show the form
// again. With it:
// - each target shows only the control its kind needs (the list of people, schedules or
//   teams, or the channel box);
// - the builder buttons change the rows in place, and the rows are renumbered so the field
//   names (step-0-wait, step-0-target-1-kind, ...) say the order the server saves.

function showKind(target) {
  const kind = target.querySelector("[data-role=kind]").value;
  const which = target.querySelector("[data-role=which]");
  const list = which.querySelector("select");
  which.hidden = kind === "everyone" || kind === "channel";
  target.querySelector("[data-role=channel]").hidden = kind !== "channel";
  list.querySelectorAll("optgroup").forEach((group) => {
    const other = kind !== "" && group.dataset.kind !== kind;
    group.hidden = other;
    group.disabled = other;
  });
  if (list.selectedOptions.length && list.selectedOptions[0].disabled) {
    list.value = "";
  }
}

// A copy of a row with nothing typed and no errors, to add as a new row.
function blankCopy(row) {
  const copy = row.cloneNode(true);
  copy.querySelectorAll(".errorlist").forEach((errors) => errors.remove());
  copy.classList.remove("invalid");
  copy.querySelectorAll("[aria-invalid]").forEach((field) => {
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
  });
  // An entry kept only because it was typed (not on the list) goes with the typing.
  copy.querySelectorAll("[data-role=which] select > option").forEach((option) => {
    if (option.value !== "") option.remove();
  });
  copy.querySelectorAll("select").forEach((select) => { select.value = ""; });
  copy.querySelectorAll("input").forEach((input) => { input.value = ""; });
  copy.querySelectorAll(".step-target").forEach((target) => showKind(target));
  if (copy.matches(".step-target")) showKind(copy);
  return copy;
}

function fill(template, numbers) {
  return template.replace("{step}", numbers.step).replace("{target}", numbers.target);
}

// Give every field, label and button the numbers of the row it now sits in.
function renumber(form) {
  const steps = form.querySelectorAll(".step-list > .policy-step");
  steps.forEach((step, index) => {
    step.dataset.step = index;
    step.querySelectorAll(".step-target").forEach((target, slot) => {
      target.dataset.slot = slot;
      target.querySelectorAll("*").forEach((element) => {
        rename(element, index, slot);
        if (element.dataset.label) {
          element.setAttribute("aria-label", fill(element.dataset.label, { step: index + 1, target: slot + 1 }));
        }
      });
      rename(target, index, slot);
    });
    step.querySelectorAll("*").forEach((element) => {
      if (element.closest(".step-target")) return;
      rename(element, index, null);
      if (element.dataset.label) {
        const text = fill(element.dataset.label, { step: index + 1, target: "" });
        if (element.matches("h3")) element.textContent = text;
        else element.setAttribute("aria-label", text);
      }
    });
    rename(step, index, null);
    step.querySelector("[value^=up-]").disabled = index === 0;
    step.querySelector("[value^=down-]").disabled = index === steps.length - 1;
  });
}

function rename(element, step, slot) {
  ["name", "id", "for", "data-testid", "aria-describedby"].forEach((attribute) => {
    const value = element.getAttribute(attribute);
    if (value === null) return;
    let renamed = value.replace(/step-\d+/g, `step-${step}`);
    if (slot !== null) renamed = renamed.replace(/target-\d+/g, `target-${slot}`);
    element.setAttribute(attribute, renamed);
  });
  if (element.name === "op") {
    const [action] = element.value.match(/^[a-z-]+?(?=-\d|$)/) || [""];
    element.value = action === "add-step" ? action : [action, step, slot].filter((part) => part !== null).join("-");
  }
}

function act(form, button) {
  const step = button.closest(".policy-step");
  const target = button.closest(".step-target");
  const action = button.value.replace(/-\d.*$/, "");
  const list = form.querySelector(".step-list");
  if (action === "add-step") {
    const copy = blankCopy(list.lastElementChild);
    copy.querySelectorAll(".step-target").forEach((slot, index) => { if (index > 1) slot.remove(); });
    list.append(copy);
  } else if (action === "remove-step") {
    if (list.children.length === 1) list.append(blankCopy(step));
    step.remove();
  } else if (action === "up" && step.previousElementSibling) {
    step.previousElementSibling.before(step);
  } else if (action === "down" && step.nextElementSibling) {
    step.nextElementSibling.after(step);
  } else if (action === "add-target") {
    const targets = step.querySelector(".step-targets");
    targets.append(blankCopy(targets.lastElementChild));
  } else if (action === "remove-target") {
    if (target.parentElement.children.length === 1) target.after(blankCopy(target));
    target.remove();
  } else {
    return false;
  }
  renumber(form);
  return true;
}

document.querySelectorAll("form.policy-form").forEach((form) => {
  form.querySelectorAll(".step-target").forEach((target) => showKind(target));
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-role=kind]")) showKind(event.target.closest(".step-target"));
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[name=op]");
    if (!button || button.value === "save") return;
    if (act(form, button)) event.preventDefault();
  });
});
