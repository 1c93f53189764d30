// The questionnaire builder: add, remove and move sections and questions; show each question
// only its type's settings; fill each condition's question list with the choice questions
// before it (and its answers), and each demand mapping's answers with the question's own.
// The page posts the rows in the order they stand (`item` fields), so moving a row is moving
// its element. Everything else is the server's: it reads the rows, the questionnaire engine
// checks them, and the page comes back with each message next to its setting.
(function () {
  "use strict";
  var form = document.querySelector("[data-builder]");
  if (!form) return;
  var catalogue = JSON.parse(document.getElementById("builder-catalogue").textContent);
  var sections = form.querySelector("[data-sections]");
  var CHOICE = ["single", "multiple", "yes_no"];
  var seq = 0;

  function freshId() {
    seq += 1;
    return "n" + Date.now().toString(36) + seq;
  }
  function fromTemplate(selector, id) {
    var html = document.querySelector(selector).innerHTML.replace(/__ID__/g, id);
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }
  function questions() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-question-row]"));
  }
  function field(row, name) {
    return row.querySelector('[name="q-' + row.dataset.questionRow + "-" + name + '"]');
  }
  function typeOf(row) {
    return field(row, "type").value;
  }
  function keyOf(row) {
    return field(row, "key").value.trim();
  }
  // The answers a question may take, as [value, label] pairs.
  function choicesOf(row) {
    var type = typeOf(row);
    if (type === "yes_no") return catalogue.yes_no;
    if (type !== "single" && type !== "multiple") return [];
    return field(row, "options").value.split("\n").map(function (line) { return line.trim(); })
      .filter(Boolean).map(function (option) { return [option, option]; });
  }
  function option(value, label, selected) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    element.selected = selected;
    return element;
  }
  // A select's options anew, keeping its value even when it is no longer offered, so nothing
  // chosen disappears unseen (the server's check then says what is wrong with it).
  function refill(select, first, pairs) {
    var current = select.value;
    var offered = pairs.some(function (pair) { return pair[0] === current; });
    select.replaceChildren(first.cloneNode(true));
    pairs.forEach(function (pair) { select.appendChild(option(pair[0], pair[1], pair[0] === current)); });
    if (current && !offered) select.appendChild(option(current, current, true));
    select.value = current;
  }

  function refreshQuestion(row, number, earlier) {
    var type = typeOf(row);
    row.querySelector("[data-number]").textContent = number;
    row.querySelector("[data-heading]").textContent = field(row, "text").value;
    row.querySelectorAll("[data-settings]").forEach(function (block) {
      block.hidden = block.dataset.settings.split(" ").indexOf(type) < 0;
    });
    // The condition: an earlier choice question, then which of its answers show this one.
    var target = row.querySelector("[data-condition-target]");
    refill(target, target.options[0], earlier.map(function (q) { return [q.key, q.label]; }));
    var values = row.querySelector("[data-condition-values]");
    var picked = earlier.filter(function (q) { return q.key === target.value; })[0];
    var checked = Array.prototype.map.call(values.querySelectorAll("input:checked"), function (box) { return box.value; });
    var box = values.querySelector("[data-condition-options]");
    var pairs = (picked ? picked.choices : []).slice();
    checked.forEach(function (value) {
      if (!pairs.some(function (pair) { return pair[0] === value; })) pairs.push([value, value]);
    });
    box.replaceChildren();
    pairs.forEach(function (pair) {
      var label = document.createElement("label");
      label.className = "form-check mb-0";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.className = "form-check-input";
      input.name = values.dataset.name;
      input.value = pair[0];
      input.checked = checked.indexOf(pair[0]) >= 0;
      var text = document.createElement("span");
      text.className = "form-check-label";
      text.textContent = pair[1];
      label.append(input, text);
      box.appendChild(label);
    });
    values.hidden = !target.value;
    // The demand mappings: this question's own answers.
    var own = choicesOf(row);
    row.querySelectorAll("[data-raise-answer]").forEach(function (select) {
      refill(select, select.options[0], own);
    });
  }

  function refresh() {
    var earlier = [];
    questions().forEach(function (row, index) {
      refreshQuestion(row, index + 1, earlier);
      var key = keyOf(row);
      var text = field(row, "text").value.trim();
      if (key && CHOICE.indexOf(typeOf(row)) >= 0) {
        earlier.push({ key: key, label: index + 1 + ". " + (text || key), choices: choicesOf(row) });
      }
    });
  }

  function freeKey() {
    var used = questions().map(keyOf);
    var n = used.length + 1;  // the next question's number, unless a key already has it
    while (used.indexOf("q" + n) >= 0) n += 1;
    return "q" + n;
  }
  function addQuestion(section) {
    var key = freeKey();
    var row = fromTemplate("[data-question-template]", freshId());
    field(row, "key").value = key;
    section.querySelector("[data-questions]").appendChild(row);
    refresh();
    field(row, "text").focus();
    return row;
  }
  function addSection() {
    var section = fromTemplate("[data-section-template]", freshId());
    sections.appendChild(section);
    addQuestion(section);
    section.querySelector("input").focus();
  }

  // Up and down: within its list; a question at the edge of its section goes on to the next
  // or previous section, so a question can be moved anywhere by the buttons alone.
  function move(row, up) {
    var isQuestion = row.hasAttribute("data-question-row");
    var sibling = up ? row.previousElementSibling : row.nextElementSibling;
    if (sibling) {
      if (up) sibling.before(row); else sibling.after(row);
    } else if (isQuestion) {
      var section = row.closest("[data-section-row]");
      var next = up ? section.previousElementSibling : section.nextElementSibling;
      if (!next) return;
      var list = next.querySelector("[data-questions]");
      if (up) list.appendChild(row); else list.prepend(row);
    }
    refresh();
    row.querySelector("[data-move=" + (up ? "up" : "down") + "]").focus();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    var row = button.closest("[data-question-row]") || button.closest("[data-section-row]");
    if (button.hasAttribute("data-move")) {
      move(row, button.dataset.move === "up");
    } else if (button.hasAttribute("data-remove")) {
      row.remove();
      refresh();
    } else if (button.hasAttribute("data-add-question")) {
      addQuestion(button.closest("[data-section-row]"));
    } else if (button.hasAttribute("data-add-section")) {
      addSection();
    } else if (button.hasAttribute("data-add-raise")) {
      var question = button.closest("[data-question-row]");
      var raise = fromTemplate("[data-raise-template]", question.dataset.questionRow);
      question.querySelector("[data-raises]").appendChild(raise);
      refresh();
      raise.querySelector("select").focus();
    } else if (button.hasAttribute("data-remove-raise")) {
      button.closest("[data-raise-row]").remove();
    } else {
      return;
    }
    event.preventDefault();
  });

  // A key renamed: the conditions that pointed to it follow it.
  form.addEventListener("focusin", function (event) {
    if (event.target.hasAttribute("data-key")) event.target.dataset.was = event.target.value.trim();
  });
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.hasAttribute("data-key") && input.dataset.was && input.dataset.was !== input.value.trim()) {
      var was = input.dataset.was;
      var now = input.value.trim();
      form.querySelectorAll("[data-condition-target]").forEach(function (select) {
        Array.prototype.forEach.call(select.options, function (opt) { if (opt.value === was) opt.value = now; });
      });
      input.dataset.was = now;
    }
    refresh();
  });
  form.addEventListener("input", function (event) {
    if (event.target.matches("[data-text], [data-options]")) refresh();
  });
  refresh();
})();
