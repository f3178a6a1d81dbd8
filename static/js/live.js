/* Live coverage ("Tường thuật trực tiếp"): new entries without a reload.
 *
 * The live story's page asks its /truc-tiep/<id>.json every five seconds
 * while the tab is visible and puts the entries it does not show yet on
 * top, newest first; the answer comes from the page cache. It stops asking
 * once the coverage has ended.
 */
(function () {
  "use strict";
  var list = document.querySelector("[data-live-url]");
  if (!list || !window.fetch) return;
  var timer = null;

  function shown() {
    var ids = {};
    list.querySelectorAll(".live-entry").forEach(function (el) { ids[el.dataset.id] = true; });
    return ids;
  }

  function ask() {
    if (document.visibilityState === "hidden") return;
    fetch(list.dataset.liveUrl, { credentials: "omit" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (data) {
        if (!data) return;
        var have = shown();
        var fresh = data.entries.filter(function (e) { return !have[String(e.id)]; });
        // Oldest first, each put on top: the newest ends up first.
        fresh.reverse().forEach(function (e) {
          var holder = document.createElement("div");
          holder.innerHTML = e.html;
          var entry = holder.firstElementChild;
          entry.classList.add("live-new");
          list.insertBefore(entry, list.firstElementChild);
        });
        var empty = list.querySelector(".live-empty");
        if (empty && data.entries.length) empty.remove();
        if (data.ended && timer) { clearInterval(timer); timer = null; }
      }, function () {});
  }

  timer = setInterval(ask, 5000);
  document.addEventListener("visibilitychange", ask);
})();
