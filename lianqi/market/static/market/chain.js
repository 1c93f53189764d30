/* The industrial chain's map: an ECharts tree drawn from the JSON block the page writes with
   json_script (named by the container's data-source). A static file, so the Content Security
   Policy needs no exception. Nodes are coloured by coverage: green with firms in the park,
   amber with firms only elsewhere in the city, red when missing (an investment target). */
(function () {
  "use strict";
  var COLOURS = { park: "#2fb344", city: "#f59f00", missing: "#d63939" };
  function decorate(node, labels) {
    var colour = COLOURS[node.coverage] || "#206bc4";
    return {
      name: node.name,
      value: node.park + node.city,
      coverage: labels[node.coverage] || "",
      park: node.park,
      city: node.city,
      rate: node.rate,
      itemStyle: { color: colour, borderColor: colour },
      label: { color: node.coverage === "missing" ? COLOURS.missing : undefined },
      children: (node.children || []).map(function (child) { return decorate(child, labels); })
    };
  }
  function draw(el, data) {
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var roots = data.roots.map(function (root) { return decorate(root, data.labels); });
    var tree = roots.length === 1 ? roots[0] : { name: "", children: roots };
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data;
          var rate = d.rate === null || d.rate === undefined ? "—" : d.rate.toFixed(2) + "%";
          return d.name + "<br>" + d.coverage + "<br>" + d.park + " / " + d.city + "<br>" + rate;
        }
      },
      series: [{
        type: "tree",
        data: [tree],
        // Room for the root's label on the left and the leaves' on the right, also on a phone
        // (where a share of the width would cut them).
        top: "2%", bottom: "2%",
        left: Math.max(el.clientWidth * 0.12, 120), right: Math.max(el.clientWidth * 0.22, 96),
        symbolSize: 10,
        initialTreeDepth: -1,
        roam: true,
        expandAndCollapse: true,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        animationDuration: 300
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chain-tree]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      if (!source) { return; }
      draw(el, JSON.parse(source.textContent));
      var fallback = el.parentElement.querySelector(".chart-fallback");
      if (fallback) { fallback.classList.add("visually-hidden"); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
