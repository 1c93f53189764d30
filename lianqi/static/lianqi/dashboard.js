/* Dashboard charts. Data comes from a <script type="application/json"> element written with
   Django's json_script; each chart container names it in data-source. A static file rather than
   an inline script, so the strict Content Security Policy needs no exception. */
(function () {
  "use strict";
  function initPie(el, data) {
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        avoidLabelOverlap: true,
        label: { formatter: "{b}\n{c}" },
        data: data.series.filter(function (p) { return p.value > 0; })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      if (el.dataset.chart === "pie") { initPie(el, data); }
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
