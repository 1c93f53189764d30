// Lists become cards on a phone: every cell of a `table-stack` table carries its column's
// header as `data-label`, which the phone style shows before the value (lianqi.css). Rows that
// htmx swaps in later (a filtered list, the next page) are labelled as they arrive.
(function () {
  "use strict";

  function label(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headers.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (!cell.hasAttribute("data-label") && headers[column]) cell.setAttribute("data-label", headers[column]);
        column += cell.colSpan || 1;
      });
    });
  }

  function labelAll(root) {
    (root || document).querySelectorAll("table.table-stack").forEach(label);
    if (root && root.closest) {
      var table = root.closest("table.table-stack");
      if (table) label(table);
    }
  }

  labelAll(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { labelAll(event.target); });
})();
