/* The picture journey, enhanced. Every page works without this file (plain forms). With it:
   - tap to hear: a card or question is said aloud in the page's language with the browser's
     own speech (nothing is sent anywhere), then a card does what it does; "Hear it" says the
     question and every card. Only where the browser has a voice for the language.
   - "Draw it": a simple canvas; "Keep it" puts the drawing in the form's file field.
   - "Say it": records with MediaRecorder and puts the sound in the form's file field. Too long,
     too big or no microphone: a kind message, and the journey carries on. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src*='pictures.js']");
  var root = document.querySelector(".pictures");
  if (!root) { return; }
  var lang = (document.documentElement.lang || "en").toLowerCase();
  var news = document.getElementById("picture-news");
  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }
  function tell(message) {
    var box = document.createElement("p");
    box.className = "picture-notice";
    box.setAttribute("role", "alert");
    box.textContent = message;
    var old = root.querySelector(".picture-notice");
    if (old) { old.replaceWith(box); } else { root.insertBefore(box, root.children[1] || null); }
  }

  // ---- tap to hear
  var synth = window.speechSynthesis;
  function voice() {
    if (!synth || !window.SpeechSynthesisUtterance) { return null; }
    var voices = synth.getVoices() || [];
    var short = lang.split("-")[0];
    for (var i = 0; i < voices.length; i += 1) {
      if ((voices[i].lang || "").toLowerCase().indexOf(short) === 0) { return voices[i]; }
    }
    return null;
  }
  function say(words, then) {
    var v = voice();
    if (!v || !words) { if (then) { then(); } return; }
    synth.cancel();
    var u = new window.SpeechSynthesisUtterance(words);
    u.voice = v; u.lang = v.lang;
    var done = false;
    function finish() { if (!done) { done = true; if (then) { then(); } } }
    u.onend = finish; u.onerror = finish;
    window.setTimeout(finish, 2500);  // never hold a child up for long
    synth.speak(u);
  }
  function showHear() {
    if (!voice()) { return; }
    root.querySelectorAll("[data-hear]").forEach(function (b) { b.hidden = false; });
  }
  root.addEventListener("click", function (event) {
    var hear = event.target.closest("[data-hear]");
    if (hear) {
      var parts = [];
      root.querySelectorAll("[data-say]").forEach(function (el) { if (!el.hidden) { parts.push(text(el)); } });
      say(parts.join(". "));
      return;
    }
    var card = event.target.closest("button[data-say][type='submit']");
    if (card && voice() && !card.dataset.said) {
      event.preventDefault();
      card.dataset.said = "1";
      say(text(card), function () {
        var form = card.form;
        var pick = document.createElement("input");
        pick.type = "hidden"; pick.name = card.name; pick.value = card.value;
        if (card.name) { form.appendChild(pick); }
        form.submit();
      });
      return;
    }
    var tick = event.target.closest("label.card[data-say]");
    if (tick && event.target.tagName === "INPUT") { say(text(tick)); }
  });
  showHear();
  if (synth && synth.addEventListener) { synth.addEventListener("voiceschanged", showHear); }

  // ---- a file field filled from the page, then the form sent as it would be without script
  function putFile(input, blob, name) {
    if (!window.DataTransfer) { return false; }
    try {
      var list = new window.DataTransfer();
      list.items.add(new window.File([blob], name, { type: blob.type }));
      input.files = list.files;
      return true;
    } catch (e) { return false; }
  }

  // ---- draw it
  var open = root.querySelector("[data-draw-open]");
  var drawForm = root.querySelector("[data-draw-form]");
  var canvas = drawForm && drawForm.querySelector("canvas");
  if (open && drawForm && canvas && canvas.getContext && canvas.toBlob) {
    open.hidden = false;
    var pen = canvas.getContext("2d");
    function blank() { pen.fillStyle = "#fff"; pen.fillRect(0, 0, canvas.width, canvas.height); }
    blank();
    pen.lineWidth = 8; pen.lineCap = "round"; pen.lineJoin = "round"; pen.strokeStyle = "#1b2a41";
    var down = false;
    function at(e) {
      var box = canvas.getBoundingClientRect();
      return [(e.clientX - box.left) * canvas.width / box.width, (e.clientY - box.top) * canvas.height / box.height];
    }
    canvas.addEventListener("pointerdown", function (e) { down = true; var p = at(e); pen.beginPath(); pen.moveTo(p[0], p[1]); pen.lineTo(p[0] + 0.1, p[1]); pen.stroke(); });
    canvas.addEventListener("pointermove", function (e) { if (!down) { return; } var p = at(e); pen.lineTo(p[0], p[1]); pen.stroke(); });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (n) { canvas.addEventListener(n, function () { down = false; }); });
    open.addEventListener("click", function () { drawForm.hidden = false; canvas.scrollIntoView({ block: "center" }); });
    drawForm.querySelector("[data-draw-clear]").addEventListener("click", blank);
    drawForm.addEventListener("submit", function (event) {
      event.preventDefault();
      canvas.toBlob(function (blob) {
        if (blob && putFile(drawForm.querySelector("input[type=file]"), blob, "drawing.png")) { drawForm.submit(); }
      }, "image/png");
    });
  }

  // ---- say it
  var voiceForm = root.querySelector("[data-voice-form]");
  var record = voiceForm && voiceForm.querySelector("[data-voice-record]");
  var maxSeconds = Number(script && script.dataset.maxSeconds) || 120;
  var maxBytes = Number(script && script.dataset.maxBytes) || 1000000;
  if (voiceForm && record && window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.DataTransfer) {
    record.hidden = false;
    voiceForm.querySelector(".voice-file").hidden = true;
    voiceForm.querySelector("[data-voice-keep]").hidden = true;
    var label = record.querySelector("span");
    var start = label.textContent;
    var recorder = null, chunks = [], began = 0, timer = 0;
    record.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") { recorder.stop(); return; }
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new window.MediaRecorder(stream);
        recorder.ondataavailable = function (e) { if (e.data && e.data.size) { chunks.push(e.data); } };
        recorder.onstop = function () {
          window.clearTimeout(timer);
          stream.getTracks().forEach(function (t) { t.stop(); });
          record.classList.remove("recording");
          label.textContent = start;
          var blob = new window.Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          var seconds = Math.round((Date.now() - began) / 1000);
          if (blob.size > maxBytes) { tell(script.dataset.tooBig); return; }
          voiceForm.querySelector("input[name=seconds]").value = String(seconds);
          if (putFile(voiceForm.querySelector("input[type=file]"), blob, "voice-note")) { voiceForm.submit(); }
        };
        began = Date.now();
        recorder.start();
        record.classList.add("recording");
        label.textContent = record.dataset.stop;
        if (news) { news.textContent = record.dataset.stop; }
        timer = window.setTimeout(function () { if (recorder.state === "recording") { recorder.stop(); } }, maxSeconds * 1000);
      }, function () {
        tell(script.dataset.noMic);
        record.hidden = true;
        voiceForm.querySelector(".voice-file").hidden = false;
        voiceForm.querySelector("[data-voice-keep]").hidden = false;
      });
    });
  }
})();
