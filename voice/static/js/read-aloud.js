/* Read aloud: a progressive enhancement using the browser's own speech synthesis.
   Nothing is sent anywhere. The button appears only when the browser has a voice for the
   page's language, and never without JavaScript. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) { return; }
  var lang = (document.documentElement.lang || "en").toLowerCase();
  var label = document.body.getAttribute("data-read-aloud") || "Read aloud";

  function voiceFor(code) {
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i += 1) {
      if ((voices[i].lang || "").toLowerCase().indexOf(code) === 0) { return voices[i]; }
    }
    return null;
  }

  function textToRead() {
    var question = document.querySelector(".answer-form legend");
    if (question) { return question.textContent; }
    var main = document.getElementById("main");
    var parts = [];
    main.querySelectorAll("h1, .prose p, .prose li").forEach(function (el) { parts.push(el.textContent); });
    return parts.join(". ");
  }

  function addButton() {
    var voice = voiceFor(lang);
    if (!voice || document.querySelector("[data-read-aloud-button]")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary read-aloud";
    button.setAttribute("data-read-aloud-button", "");
    button.textContent = label;
    button.addEventListener("click", function () {
      window.speechSynthesis.cancel();
      var utterance = new window.SpeechSynthesisUtterance(textToRead());
      utterance.voice = voice;
      utterance.lang = voice.lang;
      window.speechSynthesis.speak(utterance);
    });
    var main = document.getElementById("main");
    var heading = main && main.querySelector("h1");
    if (heading) { heading.insertAdjacentElement("afterend", button); }
  }

  addButton();
  window.speechSynthesis.addEventListener("voiceschanged", addButton);
})();
