// Progressive enhancement only: every page works without JavaScript.
// "Copy" buttons copy the text of the element named by data-copy-target.
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
  var target = document.getElementById(button.getAttribute("data-copy-target"));
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(target.innerText.trim()).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
  });
});
