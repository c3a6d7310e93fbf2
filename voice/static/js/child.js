/* Progressive enhancement only: every child page works without this file. */
(function () {
  "use strict";
  // Exit: leave at once. Without this script Exit is a plain form post that ends the session
  // and redirects to the neutral site. With it:
  // 1. a cookie marks the exit first, so even if the phone is offline (and the post below
  //    never arrives) the next request that reaches Voice ends the session before showing
  //    anything (voice/auth/web.py, EXIT_MARKER);
  // 2. the page is emptied, so nothing stays on screen or in the back/forward cache;
  // 3. the same post as the form is sent, to end the session and clear the site's data now;
  // 4. the neutral site replaces this page in the history, so Back does not return here.
  // A second tap does nothing more: the first is already on its way.
  var leaving = false;
  function quickExit(form) {
    if (leaving) { return; }
    leaving = true;
    var away = form.getAttribute("data-exit");
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "voice_exit=1; path=/; SameSite=Lax" + secure;
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* none kept */ }
    var body = new FormData(form);
    try { document.title = "\u2026"; document.body.innerHTML = ""; } catch (e) { /* nothing to clear */ }
    var gone = false;
    function go() {
      if (gone) { return; }
      gone = true;
      window.location.replace(away);
    }
    window.setTimeout(go, 1200);  // a slow signal must not hold the child here
    if (!window.fetch || navigator.onLine === false) { go(); return; }
    try {
      window.fetch(form.getAttribute("action"), {
        method: "POST", body: body, credentials: "same-origin", keepalive: true, redirect: "manual"
      }).then(go, go);
    } catch (e) { go(); }
  }
  document.querySelectorAll("form[data-exit]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      quickExit(form);
    });
  });
  // Escape key three times quickly also exits (a common quick-exit pattern).
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    var exit = document.querySelector("form[data-exit]");
    if (presses.length >= 3 && exit) { quickExit(exit); }
  });
  // A page brought back from the back/forward cache after Exit shows nothing: reload it, and
  // the server (seeing the exit mark) asks for the PIN.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.cookie.indexOf("voice_exit=") >= 0) {
      document.body.innerHTML = "";
      window.location.reload();
    }
  });

  // Keep what the page scrolls to (a focused answer, #now) just below the sticky quick bar,
  // whatever its height in this language and text size (the stylesheet guesses without this).
  var bar = document.querySelector(".quick-bar");
  if (bar && window.ResizeObserver) {
    new window.ResizeObserver(function () {
      var room = Math.ceil(bar.getBoundingClientRect().height) + 12;
      document.documentElement.style.scrollPaddingBlockStart = room + "px";
    }).observe(bar);
  }

  // Chat without a full reload. The answer is posted with fetch exactly as the form would post
  // it (same fields, same CSRF token); the server still answers with a redirect, which fetch
  // follows (post/redirect/get stays the contract). The new chat is swapped into <main>, what
  // is new is put in the polite live region #chat-news, and focus goes to the next answer.
  // Anything unexpected falls back to the ordinary form post.
  var main = document.getElementById("main");
  var news = document.getElementById("chat-news");
  if (!main || !news || !window.fetch || !window.FormData || !window.DOMParser) { return; }

  // After the PIN, a chat that kept typed words is shown in answer to the sign-in post: give it
  // the chat's own address, so reloading shows the chat instead of offering to resend the PIN.
  var shown = main.querySelector("form.answer-form");
  if (shown && window.location.pathname === "/sign-in" && window.history.replaceState) {
    window.history.replaceState(null, "", shown.getAttribute("action") + "#now");
  }

  function text(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }
  function pathOf(url) { return new URL(url, window.location.href).pathname; }

  function announce(parts) {
    news.textContent = "";
    window.setTimeout(function () { news.textContent = parts.filter(Boolean).join(" "); }, 50);
  }

  function swap(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("main");
    // Not a chat page (the PIN page after the session ended, holding what was typed): post
    // the form for real instead, so the browser shows that page and nothing typed is lost.
    if (!fresh || !doc.getElementById("chat-news")) { throw new Error("not a chat page"); }
    var asked = text(main.querySelector("form.answer-form legend"));
    var botsBefore = main.querySelectorAll("ol.chat > li.bot").length;
    Array.prototype.slice.call(main.childNodes).forEach(function (node) {
      if (node !== news) { main.removeChild(node); }
    });
    Array.prototype.slice.call(fresh.childNodes).forEach(function (node) {
      if (node.id !== "chat-news") { main.insertBefore(document.importNode(node, true), news); }
    });
    document.title = doc.title;
    window.history.replaceState(null, "", url);
    var parts = [];
    var bots = main.querySelectorAll("ol.chat > li.bot");
    for (var i = botsBefore; i < bots.length; i++) {
      var said = text(bots[i].querySelector("p"));
      if (said !== asked) { parts.push(said); }
    }
    main.querySelectorAll("[role=alert], .error").forEach(function (el) { parts.push(text(el)); });
    var form = main.querySelector("form.answer-form");
    if (form) {
      parts.push(text(form.querySelector("legend")), text(form.querySelector(".hint")));
    }
    var next = form
      ? form.querySelector("textarea, input[type=checkbox], button[name=answer], button[type=submit]")
      : main.querySelector("#now a, #now button");
    if (next) {
      next.focus();
    } else {
      main.focus();
    }
    if (!form && next) { parts.push(text(next)); }
    announce(parts);
  }

  // No signal: the post never reached Voice. The words stay in the box, a kind note says so,
  // and the answer is sent again by itself when the phone says it is back online (or when the
  // child presses the button again). Nothing is kept anywhere but the page itself.
  var waiting = null;  // {form, submitter} held until the signal comes back

  function NoSignal() {}

  function showOffline(form, on) {
    var note = main.querySelector("#chat-offline");
    if (!note) { return; }
    note.hidden = !on;
    if (on) { announce([text(note)]); }
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    main.setAttribute("aria-busy", "true");
    // getAttribute: the form has a button named "action", which hides form.action.
    var target = form.getAttribute("action") || window.location.href;
    var posting = navigator.onLine === false
      ? Promise.reject(new NoSignal())
      : window.fetch(target, { method: "POST", body: data, credentials: "same-origin" })
        .catch(function () { throw new NoSignal(); });
    posting
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0 || [200, 400, 409].indexOf(response.status) < 0) {
          throw new Error("not a chat page");
        }
        if (response.redirected && pathOf(response.url) !== window.location.pathname) {
          window.location.assign(response.url);  // e.g. back to the review page
          return null;
        }
        return response.text().then(function (html) { swap(html, response.url); });
      })
      .then(function () { waiting = null; main.removeAttribute("aria-busy"); })
      .catch(function (problem) {
        main.removeAttribute("aria-busy");
        if (problem instanceof NoSignal) {
          waiting = { form: form, submitter: submitter };
          showOffline(form, true);
          return;
        }
        waiting = null;
        if (!form.isConnected) { window.location.reload(); return; }
        form.setAttribute("data-plain", "");
        if (form.requestSubmit && submitter && submitter.form === form) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
  }

  window.addEventListener("online", function () {
    if (!waiting || !waiting.form.isConnected || main.getAttribute("aria-busy") === "true") { return; }
    var again = waiting;
    showOffline(again.form, false);
    send(again.form, again.submitter);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("answer-form") || form.hasAttribute("data-plain")) { return; }
    keepStop();  // the answer itself is on its way; what was kept is cleared when it lands
    event.preventDefault();
    if (main.getAttribute("aria-busy") === "true") { return; }
    send(form, event.submitter);
  });

  // Keeping half-typed words on the server (voice/chat/autosave.py). A text box's words are
  // posted as JSON two seconds after the child stops typing, and at the latest data-keep-every
  // seconds after the first unsaved key. Each distinct save has its own Idempotency-Key; a save
  // that found no signal is sent again, with the same key, when the phone is back online.
  // If another phone or tab moved the chat on, the server says 409: a note says so and the
  // words stay in the box. Nothing is kept in the browser's storage.
  var keepTimer = null;
  var keepDeadline = 0;
  var pending = null;  // {url, body, key}: a save not yet answered by the server

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function keepStop() {
    if (keepTimer) { window.clearTimeout(keepTimer); }
    keepTimer = null;
    keepDeadline = 0;
    pending = null;
  }

  function keepingForm() {
    var form = main.querySelector("form.answer-form[data-keep]");
    return form && form.querySelector("textarea[name=answer]") ? form : null;
  }

  function keepPost(save) {
    if (navigator.onLine === false) { return; }  // sent by the "online" listener below
    window.fetch(save.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": save.token, "Idempotency-Key": save.key },
      body: save.body
    }).then(function (response) {
      if (pending === save) { pending = null; }
      if (response.status === 409) {
        response.json().then(function (said) {
          var note = main.querySelector("#chat-stale");
          if (note && save.form.isConnected && said && said.problem === "stale") {
            note.textContent = said.message;
            note.hidden = false;
            announce([said.message]);
          }
        }, function () { /* not JSON: nothing to show */ });
      }
    }, function () { /* no signal: pending stays and goes again when the signal is back */ });
  }

  function keepNow() {
    if (keepTimer) { window.clearTimeout(keepTimer); }
    keepTimer = null;
    keepDeadline = 0;
    var form = keepingForm();
    if (!form) { return; }
    var body = JSON.stringify({
      node: form.querySelector("input[name=node]").value,
      version: parseInt(form.querySelector("input[name=version]").value, 10),
      text: form.querySelector("textarea[name=answer]").value
    });
    if (pending && pending.body === body) { keepPost(pending); return; }  // a retry keeps its key
    pending = {
      url: form.getAttribute("data-keep"),
      token: form.querySelector("input[name=csrf_token]").value,
      body: body,
      key: newKey(),
      form: form
    };
    keepPost(pending);
  }

  document.addEventListener("input", function (event) {
    var form = keepingForm();
    if (!form || event.target !== form.querySelector("textarea[name=answer]")) { return; }
    var every = 1000 * (parseInt(form.getAttribute("data-keep-every"), 10) || 10);
    var now = Date.now();
    if (!keepDeadline) { keepDeadline = now + every; }
    if (keepTimer) { window.clearTimeout(keepTimer); }
    keepTimer = window.setTimeout(keepNow, Math.max(0, Math.min(2000, keepDeadline - now)));
  });

  window.addEventListener("online", function () {
    if (pending && pending.form.isConnected) { keepPost(pending); }
  });
})();
