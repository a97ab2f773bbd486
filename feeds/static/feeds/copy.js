// The "Copy" buttons of /feeds/: put an address on the clipboard (a file of its own: the
// Content-Security-Policy allows no inline script).
for (const button of document.querySelectorAll("button.copy")) {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    field.select();
    try { await navigator.clipboard.writeText(field.value); button.textContent = "Copied"; }
    catch { button.textContent = "Press Ctrl+C"; }
  });
}
