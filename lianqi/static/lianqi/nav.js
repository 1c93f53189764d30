// The top bar keeps to one line on a laptop: when the modules do not fit beside the brand and the
// account menu, the last modules move under "更多" (each under its own heading) until the bar
// fits again. On a phone the collapsed menu lists every module, so nothing moves there.
(function () {
  "use strict";
  var bar = document.querySelector("[data-testid=navbar] > .container-xl");
  var nav = document.querySelector("[data-testid=nav]");
  var more = nav && nav.querySelector("[data-nav-more]");
  if (!bar || !more) return;
  var groups = Array.prototype.filter.call(nav.children, function (item) { return item !== more; });
  var laptop = window.matchMedia("(min-width: 768px)");

  function sectionOf(group) {
    return more.querySelector('[data-more-for="' + group.getAttribute("data-group") + '"]');
  }

  function overflowing() {
    return bar.scrollWidth > bar.clientWidth + 1;
  }

  function fit() {
    groups.forEach(function (group) { group.hidden = false; sectionOf(group).hidden = true; });
    more.hidden = true;
    more.classList.remove("active");
    if (!laptop.matches || !overflowing()) return;
    more.hidden = false;
    for (var shown = groups.length - 1; shown >= 0 && overflowing(); shown -= 1) {
      groups[shown].hidden = true;
      sectionOf(groups[shown]).hidden = false;
      if (groups[shown].classList.contains("active")) more.classList.add("active");
    }
  }

  fit();
  window.addEventListener("resize", fit);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);
})();
