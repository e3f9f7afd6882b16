// A live count under every text area that has a limit (data-max-length): the browser's own
// maxlength would cut a pasted text silently; this says how much is over instead, and the
// server refuses it with the same words, keeping what was typed.
document.addEventListener("DOMContentLoaded", () => {
  for (const area of document.querySelectorAll("textarea[data-max-length]")) {
    const limit = Number(area.dataset.maxLength);
    const counter = document.createElement("p");
    counter.className = "char-count muted";
    counter.id = `${area.id}_count`;
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    const described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
    const locale = document.documentElement.lang || "en";
    const template = area.dataset.countWords || "%(count)s / %(limit)s";
    const words = (n) => template
      .replace("%(count)s", n.toLocaleString(locale))
      .replace("%(limit)s", limit.toLocaleString(locale));
    const update = () => {
      const count = [...area.value].length;
      counter.textContent = words(count);
      counter.classList.toggle("error-text", count > limit);
    };
    area.addEventListener("input", update);
    update();
  }
});
