/* "SEO và mạng xã hội" on the article form: a live preview of the Google
 * result and of the Facebook/Zalo card, and counters beside the SEO title
 * and description, counted in characters (NFC code points), never bytes:
 * "Đà Nẵng" is 7 characters however it is encoded.
 *
 * Empty fields show what the page falls back to: the title and the lead.
 */
(function () {
  "use strict";

  function chars(value) {
    return Array.from((value || "").normalize("NFC")).length;
  }

  function cut(value, max) {
    var list = Array.from(value.normalize("NFC"));
    return list.length > max ? list.slice(0, max - 1).join("") + "…" : value;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".seo-preview");
    if (!box) return;
    var seoTitle = document.getElementById("id_seo_title");
    var seoText = document.getElementById("id_seo_description");
    var title = document.getElementById("id_title");
    var lead = document.getElementById("id_lead");
    var titleMax = parseInt(box.dataset.titleMax, 10);
    var textMax = parseInt(box.dataset.descriptionMax, 10);

    function counter(input, max) {
      var out = document.createElement("span");
      out.className = "seo-count";
      out.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", out);
      return function () {
        var n = chars(input.value);
        out.textContent = box.dataset.count.replace("%(n)s", n).replace("%(max)s", max);
        out.classList.toggle("seo-over", n > max);
      };
    }

    var countTitle = counter(seoTitle, titleMax);
    var countText = counter(seoText, textMax);

    function update() {
      var shownTitle = seoTitle.value.trim() || (title && title.value) || "";
      var shownText = seoText.value.trim() || (lead && lead.value) || "";
      box.querySelectorAll(".seo-title").forEach(function (el) {
        el.textContent = cut(shownTitle, titleMax);
      });
      box.querySelectorAll(".seo-description").forEach(function (el) {
        el.textContent = cut(shownText, textMax);
      });
      countTitle();
      countText();
    }

    [seoTitle, seoText, title, lead].forEach(function (input) {
      if (input) input.addEventListener("input", update);
    });
    update();
  });
})();
