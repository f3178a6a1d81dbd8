/* Share links of an article: "Sao chép liên kết" copies the address, "In" prints.
 * A file, not an inline script: the Content-Security-Policy allows no other. */
(function () {
  "use strict";
  document.querySelectorAll(".share [data-share]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (button.dataset.share === "print") { window.print(); return; }
      var done = function () {
        button.textContent = button.dataset.done;
      };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(button.dataset.url).then(done, function () {});
      }
    });
  });
})();
