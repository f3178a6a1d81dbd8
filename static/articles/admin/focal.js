/* The photo form's focal point: a click on the subject of the photo fills
 * "điểm chính" (from the left and the top, 0 to 1) and shows a mark there.
 * Every crop of the photo (16:9 cards, 1:1 thumbnails, 4:3) keeps it in
 * frame once saved.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.querySelector(".focal-picker");
    var x = document.getElementById("id_focal_x");
    var y = document.getElementById("id_focal_y");
    if (!picker || !x || !y) return;
    var img = picker.querySelector("img");
    var mark = picker.querySelector(".focal-mark");
    var help = document.createElement("p");
    help.className = "help";
    help.textContent = picker.dataset.help;
    picker.insertAdjacentElement("afterend", help);

    function show() {
      if (x.value === "" || y.value === "") { mark.hidden = true; return; }
      mark.style.left = (parseFloat(x.value) * 100) + "%";
      mark.style.top = (parseFloat(y.value) * 100) + "%";
      mark.hidden = false;
    }

    img.addEventListener("click", function (event) {
      var box = img.getBoundingClientRect();
      x.value = ((event.clientX - box.left) / box.width).toFixed(2);
      y.value = ((event.clientY - box.top) / box.height).toFixed(2);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  });
})();
