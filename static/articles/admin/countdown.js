/* The article list's embargo column: the time left, counted down.
 *
 * Each <time class="embargo-countdown" datetime="…"> says "còn 2 giờ 5 phút"
 * when the page is made; this keeps it true while the page stays open, and
 * says "hết cấm đăng" once the time has come. Its words come from the
 * element's data attributes (the page's language).
 */
(function () {
  "use strict";

  function left(ms, el) {
    var minutes = Math.max(1, Math.floor(ms / 60000));
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days) return days + " " + el.dataset.day + " " + hours + " " + el.dataset.hour;
    if (hours) return hours + " " + el.dataset.hour + " " + mins + " " + el.dataset.minute;
    return mins + " " + el.dataset.minute;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.embargo-countdown").forEach(function (el) {
      var ms = Date.parse(el.getAttribute("datetime")) - now;
      el.textContent = ms > 0 ? el.dataset.left.replace("{}", left(ms, el)) : el.dataset.over;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector("time.embargo-countdown")) return;
    tick();
    setInterval(tick, 30000);
  });
})();
