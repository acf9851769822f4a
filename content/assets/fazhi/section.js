/*
 * fazhi: the sidebar marks the section of a page that is not in it.
 *
 * Record, agency, topic, region, law and archive pages are left out of the navigation
 * (mkdocs.yml, not_in_nav), so Material highlights nothing there. Such a page has
 * breadcrumbs (nav.fazhi-crumbs, written by the generator): its second crumb is its section
 * (典型案例, 地区 …). This script gives the sidebar's link to that section the look of the
 * current page's link (Material's md-nav__link--active), comparing resolved addresses
 * without their query (the year crumb may carry ?year=).
 */
(function () {
  "use strict";

  function path(href) {
    var url = new URL(href, window.location.href);
    return url.origin + url.pathname;
  }

  function mark() {
    var section = document.querySelector("nav.fazhi-crumbs li:nth-child(2) a[href]");
    if (!section || !window.URL) {
      return;
    }
    var target = path(section.getAttribute("href"));
    var links = document.querySelectorAll(".md-nav--primary a.md-nav__link[href]");
    for (var i = 0; i < links.length; i++) {
      if (path(links[i].getAttribute("href")) === target) {
        links[i].classList.add("md-nav__link--active", "fazhi-nav__section");
        var item = links[i].closest(".md-nav__item");
        if (item) {
          item.classList.add("md-nav__item--active");
        }
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
