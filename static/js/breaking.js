/* "Tin nóng": the breaking-news banner of every page, cached pages included.
 *
 * The page asks /tin-nong.json at once and every three seconds while it is
 * visible (revalidating, never from the browser's own cache); the answer
 * (kept two seconds by the server and any cache in front) names the
 * breaking story or nothing, so the banner appears and goes within five
 * seconds of its time, whatever the page cache holds.
 */
(function () {
  "use strict";
  var banner = document.getElementById("tin-nong");
  if (!banner || !window.fetch) return;
  var link = banner.querySelector("a");

  function show(story) {
    if (story && story.title) {
      link.textContent = story.title;
      link.href = story.url;
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  function ask() {
    if (document.visibilityState === "hidden") return;
    fetch(banner.dataset.url, { credentials: "omit", cache: "no-cache" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(show, function () {});
  }

  ask();
  setInterval(ask, 3000);
  document.addEventListener("visibilitychange", ask);
})();
