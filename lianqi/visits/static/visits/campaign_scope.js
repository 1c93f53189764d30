// The campaign form shows only the scope fields the chosen scope uses (a value, a list, or a
// rule). Without this script every field stays visible and the server ignores the unused ones;
// a field with an error is never hidden.
(function () {
  "use strict";
  var kind = document.getElementById("id_scope_kind");
  if (!kind) return;
  var uses = {
    all: [],
    kind: ["scope_value"],
    industry: ["scope_value"],
    tag: ["scope_value"],
    list: ["enterprises", "scope_file"],
    rule: ["scope_rule"],
  };
  var fields = ["scope_value", "enterprises", "scope_file", "scope_rule"];
  function update() {
    var shown = uses[kind.value] || fields;
    fields.forEach(function (name) {
      var block = document.querySelector('[data-field="' + name + '"]');
      if (!block) return;
      block.hidden = shown.indexOf(name) < 0 && !block.querySelector(".invalid-feedback");
    });
  }
  kind.addEventListener("change", update);
  update();
})();
