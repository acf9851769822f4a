/*
 * fazhi: a table too wide for the screen scrolls sideways in Material's box
 * (.md-typeset__scrollwrap). Such a box is made reachable by keyboard (WCAG 2.1.1): it gets
 * tabindex="0", role="region" and a name (the table's first heading cell, or the section
 * heading above it), so arrow keys scroll it. Boxes that fit the screen are left alone.
 * Material wraps the tables itself once the page is loaded; this runs after it and again
 * when the window or the text size changes.
 */
(function () {
  "use strict";

  function nameOf(box) {
    var heading = null;
    for (var node = box; node && !heading; node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName)) {
          heading = before;
          break;
        }
      }
      if (node.matches("article")) {
        break;
      }
    }
    var label = heading ? heading.textContent.trim() : "";
    return (label ? label + "：" : "") + "表格，可左右滚动";
  }

  /** Names made unique on the page (第2个表格 …): landmarks must be told apart. */
  function uniqueNames(boxes) {
    var seen = {};
    for (var i = 0; i < boxes.length; i++) {
      var name = nameOf(boxes[i]);
      seen[name] = (seen[name] || 0) + 1;
      boxes[i].setAttribute("aria-label", seen[name] > 1 ? name + "（第" + seen[name] + "个）" : name);
    }
  }

  function update() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap");
    var scrolling = [];
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        scrolling.push(box);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
    uniqueNames(scrolling);
  }

  var timer = 0;
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 100);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () {
      window.setTimeout(update, 0);
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", later);
  // The 「大字」 button changes the text size through a class on <html>.
  if (window.MutationObserver) {
    new MutationObserver(later).observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  }
  window.addEventListener("load", update);
})();
