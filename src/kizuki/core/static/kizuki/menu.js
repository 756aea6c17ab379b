// The header's menu groups are <details> drop-downs that work without this file (they share a
// name, so opening one closes the others). This only closes an open one when a click lands
// elsewhere or Escape is pressed, as a drop-down is expected to.
const groups = document.querySelectorAll("details.nav-group");
document.addEventListener("click", (event) => {
  groups.forEach((group) => {
    if (group.open && !group.contains(event.target)) group.open = false;
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  groups.forEach((group) => {
    if (!group.open) return;
    const inside = group.contains(document.activeElement);
    group.open = false;
    if (inside) group.querySelector("summary").focus();
  });
});
