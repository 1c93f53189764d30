/* Searchable pickers: every <select data-picker="URL"> becomes a Tom Select whose options come
   from URL?q=… (JSON [{value, text}], already scoped by the server). The page renders only the
   chosen options, so without this script the select still submits its current value. */
(function () {
  "use strict";

  function search(url, query, callback) {
    var target = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
    fetch(target, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (rows) { callback(rows); })
      .catch(function () { callback(); });
  }

  function escape(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") { return; }
    var url = select.getAttribute("data-picker");
    var empty = select.getAttribute("data-picker-empty") || "";
    var options = {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxOptions: 20,
      loadThrottle: 250,
      allowEmptyOption: true,
      placeholder: select.getAttribute("data-picker-placeholder") || "",
      // A name is found from its first character; every answer is asked of the server.
      shouldLoad: function (query) { return query.length > 0; },
      load: function (query, callback) { search(url, query, callback); },
      render: {
        no_results: function () { return '<div class="no-results">' + escape(empty) + "</div>"; }
      }
    };
    if (select.multiple) { options.plugins = ["remove_button"]; }
    new TomSelect(select, options);
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  // Content swapped in by htmx (a form re-rendered with its errors) gets its pickers too.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
