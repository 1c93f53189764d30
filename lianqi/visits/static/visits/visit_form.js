// The visit form on a phone: conditional display (a question shows when the question it depends
// on, itself shown, has one of the wanted answers), the raised-demand boxes of the answers that
// raise one, the optional geolocation, and the draft kept in this browser as the liaison types,
// so a closed tab or a lost connection loses nothing — the draft keeps the idempotency key too,
// so sending it again can never record the visit twice. The server ignores hidden questions.
(function () {
  "use strict";
  var done = document.querySelector("[data-clear-draft]");
  if (done) {
    // The visit was recorded: its draft (same key) is no longer needed.
    try {
      var saved = JSON.parse(localStorage.getItem(done.dataset.clearDraft) || "null");
      if (saved && saved.idempotency_key === done.dataset.key) localStorage.removeItem(done.dataset.clearDraft);
    } catch (e) { /* storage unavailable: nothing to clear */ }
  }
  var form = document.querySelector("[data-visit-form]");
  if (!form) return;

  function valuesOf(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else if (input.type !== "file" && input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function refresh() {
    var shown = {};
    form.querySelectorAll("[data-question]").forEach(function (block) {
      var target = block.dataset.showIf;
      var visible = true;
      if (target) {
        var wanted = block.dataset.showValues.split("|");
        visible = Boolean(shown[target]) && valuesOf("answer_" + target).some(function (v) {
          return wanted.indexOf(v) >= 0;
        });
      }
      block.hidden = !visible;
      shown[block.dataset.question] = visible;
    });
    form.querySelectorAll("[data-raise-question]").forEach(function (box) {
      var key = box.dataset.raiseQuestion;
      box.hidden = !(shown[key] && valuesOf("answer_" + key).indexOf(box.dataset.raiseAnswer) >= 0);
    });
  }

  // A preview (the questionnaire builder's) keeps no draft: it is never sent.
  var draftKey = form.dataset.draft;
  function saveDraft() {
    if (!draftKey) return;
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "file" || el.type === "submit") return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (!(el.name in data)) data[el.name] = [];
        if (el.checked) data[el.name].push(el.value);
      } else {
        data[el.name] = el.value;
      }
    });
    try { localStorage.setItem(draftKey, JSON.stringify(data)); } catch (e) { /* private mode: no draft */ }
  }
  function restoreDraft() {
    if (!draftKey) return;
    var data;
    try { data = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { data = null; }
    if (!data) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || el.name === "csrfmiddlewaretoken" || el.type === "file") return;
      var value = data[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }
  // A page sent back with errors already holds what was typed; a fresh one takes the draft.
  if (form.dataset.bound !== "true") restoreDraft();

  form.addEventListener("change", function () { refresh(); saveDraft(); });
  form.addEventListener("input", function () { refresh(); saveDraft(); });
  refresh();

  var locate = form.querySelector("[data-locate]");
  var status = form.querySelector("[data-locate-status]");
  if (locate && !navigator.geolocation) locate.hidden = true;
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.latitude.value = position.coords.latitude.toFixed(6);
        form.elements.longitude.value = position.coords.longitude.toFixed(6);
        status.textContent = locate.dataset.done + " " + form.elements.latitude.value + ", " + form.elements.longitude.value;
        saveDraft();
      }, function () { status.textContent = locate.dataset.failed; }, { timeout: 10000 });
    });
  }
})();
