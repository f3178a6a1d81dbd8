/* The article editor's safety nets and the desk, in the admin's change form.
 *
 * - autosave: a few seconds after each change the whole form goes to the
 *   server as the user's working copy (not a revision), and at every change
 *   to this browser's local storage, the second net when the server cannot
 *   be reached;
 * - a warning before leaving a form with changes not saved;
 * - the edit lock's heartbeat: who else has the story, and being told at
 *   once when someone takes it over (the text goes to the working copy);
 * - "Chèn ảnh từ thư viện": a dialog that finds library photos with or
 *   without diacritics and inserts a figure with the default caption.
 *
 * Loaded as a file (the Content-Security-Policy allows no inline script);
 * its settings and Vietnamese messages come from #desk's data attributes.
 */
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  var form = document.getElementById("article_form");
  if (!desk || !form) return;
  var cfg = desk.dataset;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("desk-autosave");
  var lockBox = document.getElementById("desk-lock");
  var dirty = false;
  var submitting = false;
  var frozen = false;
  var timer = null;
  var localTimer = null;

  function button(label, className) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.textContent = label;
    return made;
  }

  function say(message, kind) {
    if (!status) return;
    status.textContent = message;
    status.className = "desk-status" + (kind ? " is-" + kind : "");
  }

  function bodyEditor() {
    return (window.editors || {})["id_body"] || null;
  }

  function formEntries() {
    var editor = bodyEditor();
    if (editor) editor.updateSourceElement();
    var data = new FormData(form);
    var entries = [];
    data.forEach(function (value, name) {
      if (typeof value === "string" && name.charAt(0) !== "_" && name !== "csrfmiddlewaretoken") {
        entries.push([name, value]);
      }
    });
    return entries;
  }

  function postTo(url, entries) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    (entries || []).forEach(function (pair) { data.append(pair[0], pair[1]); });
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Requested-With": "fetch" }
    });
  }

  // --- local storage: the second net -----------------------------------------

  function keepLocal(submitted) {
    try {
      localStorage.setItem(cfg.localKey, JSON.stringify({
        at: new Date().toISOString(),
        submitted: !!submitted,
        entries: formEntries()
      }));
    } catch (e) { /* storage full or refused: the server copy remains */ }
  }

  function readLocal() {
    try { return JSON.parse(localStorage.getItem(cfg.localKey) || "null"); }
    catch (e) { return null; }
  }

  function fill(entries) {
    var seen = {};
    entries.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      if (!fields.length) return;
      var field = fields[0];
      if (name === "body" && bodyEditor()) {
        bodyEditor().setData(value);
        return;
      }
      if (field.tagName === "SELECT") {
        if (!seen[name]) {
          Array.prototype.forEach.call(field.options, function (o) { o.selected = false; });
          seen[name] = true;
        }
        var option = Array.prototype.find.call(field.options, function (o) { return o.value === value; });
        if (!option) {
          option = new Option(value, value, true, true);
          field.appendChild(option);
        }
        option.selected = true;
        field.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (field.type === "checkbox" || field.type === "radio") {
        fields.forEach(function (f) { if (f.value === value) f.checked = true; });
      } else if (field.type !== "file") {
        field.value = value;
      }
    });
  }

  function offerLocal() {
    var kept = readLocal();
    if (!kept || !kept.entries || cfg.restoring) return;
    if (cfg.updated && new Date(kept.at) <= new Date(cfg.updated)) {
      localStorage.removeItem(cfg.localKey); // saved since: the copy has served
      return;
    }
    if (document.querySelector(".desk-copy")) return; // the server's copy is offered
    var banner = document.createElement("div");
    banner.className = "desk-banner desk-local";
    banner.setAttribute("role", "alert");
    var when = new Date(kept.at).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
    var text = document.createElement("p");
    text.textContent = cfg.msgLocal.replace("%(when)s", when) + " ";
    var restore = button(cfg.msgLocalRestore, "button");
    var drop = button(cfg.msgLocalDrop, "button");
    restore.addEventListener("click", function () {
      fill(kept.entries);
      banner.remove();
      changed();
    });
    drop.addEventListener("click", function () {
      localStorage.removeItem(cfg.localKey);
      banner.remove();
    });
    text.appendChild(restore);
    text.appendChild(document.createTextNode(" "));
    text.appendChild(drop);
    banner.appendChild(text);
    status.parentNode.insertBefore(banner, status.nextSibling);
  }

  // --- autosave to the server ---------------------------------------------------

  function autosave() {
    timer = null;
    if (!dirty || submitting) return Promise.resolve();
    return postTo(cfg.autosaveUrl, formEntries()).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 302) {
        say(cfg.msgSession, "warning");
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      return response.json().then(function (result) {
        if (result.ok) say(result.message, "saved");
      });
    }).catch(function () { say(cfg.msgOffline, "warning"); });
  }

  function changed() {
    if (frozen) return;
    dirty = true;
    if (!timer) timer = setTimeout(autosave, Number(cfg.autosaveSeconds || 5) * 1000);
    clearTimeout(localTimer);
    localTimer = setTimeout(function () { keepLocal(false); }, 500);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  function watchEditor(editor) {
    editor.model.document.on("change:data", changed);
  }

  if (bodyEditor()) watchEditor(bodyEditor());
  else if (window.ckeditorRegisterCallback) window.ckeditorRegisterCallback("id_body", watchEditor);

  form.addEventListener("submit", function () {
    submitting = true;
    keepLocal(true);
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting && !frozen) {
      clearTimeout(localTimer);
      keepLocal(false); // the last keystrokes too
      event.preventDefault();
      event.returnValue = cfg.msgUnsaved;
      return cfg.msgUnsaved;
    }
  });

  // A new story saved: the copy kept for the "new story" form has served.
  if (!/\/add\/$/.test(location.pathname)) {
    var newKey = cfg.localKey.replace(/:[^:]+$/, ":moi");
    try {
      var kept = JSON.parse(localStorage.getItem(newKey) || "null");
      if (kept && kept.submitted) localStorage.removeItem(newKey);
    } catch (e) { /* nothing to clean */ }
  }
  offerLocal();

  // --- the edit lock ------------------------------------------------------------

  function freeze(message) {
    frozen = true;
    lockBox.classList.remove("is-hidden");
    lockBox.querySelector(".desk-lock-message").textContent = message;
    form.querySelectorAll("input[type=submit], button[name=_buoc], button[name=_ghi_len]").forEach(function (b) {
      b.disabled = true;
    });
  }

  function nextBeat() {
    setTimeout(beat, Number(cfg.heartbeatSeconds || 10) * 1000);
  }

  // Every answer but "taken over" schedules the next heartbeat: a slow or
  // failed one (a restart, a network blip) never stops the lock's news.
  function beat() {
    postTo(cfg.heartbeatUrl, [["page", cfg.lockPage || ""]]).then(function (response) {
      if (response.type === "opaqueredirect") { say(cfg.msgSession, "warning"); return null; }
      return response.ok ? response.json() : null;
    }).then(function (state) {
      if (!state) { nextBeat(); return; }
      if (state.taken) {
        // Someone took the story: the page says so at once, and what was
        // typed goes to the working copy (fields stay readable, not sendable).
        freeze(state.message);
        dirty = true;
        autosave();
        return;
      }
      if (!state.mine) {
        lockBox.classList.remove("is-hidden");
        lockBox.querySelector(".desk-lock-message").textContent = state.message;
      } else if (cfg.lockMine !== "1") {
        cfg.lockMine = "1";
        lockBox.classList.add("is-hidden");
      }
      nextBeat();
    }).catch(nextBeat);
  }

  if (cfg.heartbeatUrl) {
    nextBeat();
    window.addEventListener("pagehide", function () {
      // Leaving (or saving: the next page holds the story again at once).
      if (cfg.lockMine !== "1" || frozen) return;
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("page", cfg.lockPage || "");  // only the page that holds it
      navigator.sendBeacon(cfg.releaseUrl, data);
    });
  }

  // --- insert a photo from the library ------------------------------------------

  function figureHtml(photo) {
    var esc = function (s) {
      return String(s || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    };
    var caption = photo.label;
    return '<figure class="image"><img src="' + esc(photo.src) + '" alt="' + esc(photo.alt || photo.caption) +
      '"><figcaption>' + esc(caption) + "</figcaption></figure>";
  }

  function insertPhoto(photo) {
    var editor = bodyEditor();
    if (!editor) return;
    var view = editor.data.processor.toView(figureHtml(photo));
    editor.model.insertContent(editor.data.toModel(view));
    editor.editing.view.focus();
  }

  function libraryDialog() {
    var dialog = document.createElement("dialog");
    dialog.className = "desk-library";
    dialog.setAttribute("aria-label", cfg.msgLibrary);
    var heading = document.createElement("h2");
    heading.textContent = cfg.msgLibrary;
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = cfg.msgSearch;
    search.setAttribute("aria-label", cfg.msgSearch);
    search.className = "desk-library-search";
    var list = document.createElement("ul");
    list.className = "desk-library-results";
    var close = button(cfg.msgClose, "button");
    close.addEventListener("click", function () { dialog.close(); });
    dialog.append(heading, search, list, close);
    document.body.appendChild(dialog);
    var pending = null;
    function find() {
      var url = cfg.photoSearchUrl + "?q=" + encodeURIComponent(search.value);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (result) {
        list.textContent = "";
        if (!result.photos.length) {
          var none = document.createElement("li");
          none.textContent = cfg.msgNone;
          list.appendChild(none);
        }
        result.photos.forEach(function (photo) {
          var item = document.createElement("li");
          var img = document.createElement("img");
          img.src = photo.thumb;
          img.alt = photo.alt || photo.caption;
          img.loading = "lazy";
          var caption = document.createElement("span");
          caption.className = "desk-library-caption";
          caption.textContent = photo.label;
          var pick = button(cfg.msgInsert, "button");
          pick.addEventListener("click", function () { insertPhoto(photo); dialog.close(); });
          item.append(img, caption, pick);
          list.appendChild(item);
        });
      });
    }
    search.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(find, 250);
    });
    return { open: function () { dialog.showModal(); search.focus(); find(); } };
  }

  var bodyRow = form.querySelector(".field-body");
  if (bodyRow && cfg.photoSearchUrl) {
    var picker = null;
    var open = button(cfg.msgLibrary, "button desk-library-open");
    open.addEventListener("click", function () {
      picker = picker || libraryDialog();
      picker.open();
    });
    bodyRow.insertBefore(open, bodyRow.firstChild);
  }
})();
