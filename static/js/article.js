/* The article page's script (a file: the Content-Security-Policy allows no
 * inline one).
 * - Share: "Chia sẻ" opens the phone's own share sheet (Zalo, Messenger… are
 *   there on phones that have them), "Sao chép liên kết" copies the address,
 *   "In" prints. Buttons stay hidden where the browser cannot do it.
 * - Counting: one beacon per page view for "Đọc nhiều" (cached pages
 *   included); nothing is sent for a page being prerendered. */
(function () {
  "use strict";
  document.querySelectorAll(".share [data-share]").forEach(function (button) {
    var kind = button.dataset.share;
    if (kind === "native" && !navigator.share) return;
    if (kind === "copy" && !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (kind === "print") { window.print(); return; }
      if (kind === "native") {
        navigator.share({ title: document.title, url: button.dataset.url }).catch(function () {});
        return;
      }
      navigator.clipboard.writeText(button.dataset.url).then(function () {
        button.textContent = button.dataset.done;
      }, function () {});
    });
  });

  var story = document.querySelector("[data-read-url]");
  function send() {
    if (navigator.sendBeacon) navigator.sendBeacon(story.dataset.readUrl);
    else fetch(story.dataset.readUrl, { method: "POST", keepalive: true, credentials: "omit" });
  }
  if (story) {
    if (document.visibilityState === "prerender" || document.prerendering) {
      document.addEventListener("prerenderingchange", send, { once: true });
    } else {
      send();
    }
  }
})();
