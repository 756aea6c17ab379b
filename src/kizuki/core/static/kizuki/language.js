// Switch the interface language as soon as another one is picked; without JavaScript the
// form's own button does it. A file, not an inline handler, so the page's CSP allows it.
document.querySelectorAll("form.language select").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
