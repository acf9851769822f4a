/*
 * fazhi: the filter form of the campaigns and cases lists.
 *
 * The list pages are complete without JavaScript. This script shows each list's filter form
 * (built at build time from the data: form.fazhi-filter, one <select> per data-<name>
 * attribute of the items), hides the items (.fazhi-item) that do not match every chosen
 * value, hides year groups (.fazhi-group) left empty, updates each group's count and the
 * live count "显示 N / M 条". When nothing matches, a message says so, with a button that
 * clears the choice; the page's table of contents (Material's .md-nav--secondary, in both
 * sidebars) hides the links to hidden year groups. An item attribute holds space-separated values; an item
 * matches a choice when one of them equals it. The choice is kept in the address
 * (?year=2024&topic=...) so that a filtered list can be bookmarked and shared.
 */
(function () {
  "use strict";

  function values(item, name) {
    return (item.getAttribute("data-" + name) || "").split(/\s+/);
  }

  function contains(list, value) {
    for (var i = 0; i < list.length; i++) {
      if (list[i] === value) {
        return true;
      }
    }
    return false;
  }

  function headingCounter(group, unit) {
    var heading = group.querySelector("h2");
    var text = heading && heading.firstChild;
    if (!text || text.nodeType !== 3) {
      return function () {};
    }
    var original = text.nodeValue;
    var open = original.lastIndexOf("（");
    var label = open >= 0 ? original.slice(0, open) : original;
    return function (count, filtered) {
      text.nodeValue = filtered ? label + "（" + count + unit + "）" : original;
    };
  }

  function setup(form) {
    var scope = form.closest("article") || document;
    var selects = form.querySelectorAll("select");
    var items = scope.querySelectorAll(".fazhi-item");
    var shown = form.querySelector(".fazhi-filter__shown");
    var unit = form.getAttribute("data-fazhi-unit") || "";
    var groups = [];
    var found = scope.querySelectorAll(".fazhi-group");
    for (var g = 0; g < found.length; g++) {
      groups.push({ element: found[g], count: headingCounter(found[g], unit) });
    }

    // Shown in place of the list when nothing matches.
    var empty = document.createElement("p");
    empty.className = "fazhi-filter__empty";
    empty.hidden = true;
    empty.appendChild(document.createTextNode("没有符合条件的记录。"));
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button";
    clear.textContent = "清除筛选";
    clear.addEventListener("click", function () {
      form.reset();
      var first = form.querySelector("select");
      if (first) {
        first.focus();
      }
    });
    empty.appendChild(clear);
    form.parentNode.insertBefore(empty, form.nextSibling);

    // The table-of-contents entries (in both sidebars) that point at each group's heading.
    function tocLinks(group) {
      var heading = group.querySelector("h2[id]");
      if (!heading) {
        return [];
      }
      var links = document.querySelectorAll(".md-nav--secondary a.md-nav__link");
      var found = [];
      for (var i = 0; i < links.length; i++) {
        if (links[i].getAttribute("href") === "#" + heading.id) {
          found.push(links[i]);
        }
      }
      return found;
    }
    for (var t = 0; t < groups.length; t++) {
      groups[t].toc = tocLinks(groups[t].element);
      groups[t].heading = groups[t].element.querySelector("h2");
    }

    function chosen() {
      var list = [];
      for (var i = 0; i < selects.length; i++) {
        if (selects[i].value) {
          list.push([selects[i].name, selects[i].value]);
        }
      }
      return list;
    }

    function remember(list) {
      if (!window.history || !window.history.replaceState || !window.URLSearchParams) {
        return;
      }
      var params = new URLSearchParams(window.location.search);
      for (var i = 0; i < selects.length; i++) {
        params.delete(selects[i].name);
      }
      for (var j = 0; j < list.length; j++) {
        params.set(list[j][0], list[j][1]);
      }
      var query = params.toString();
      var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", address);
    }

    function update() {
      var list = chosen();
      var count = 0;
      for (var i = 0; i < items.length; i++) {
        var match = true;
        for (var j = 0; j < list.length && match; j++) {
          match = contains(values(items[i], list[j][0]), list[j][1]);
        }
        items[i].hidden = !match;
        if (match) {
          count++;
        }
      }
      for (var k = 0; k < groups.length; k++) {
        var visible = groups[k].element.querySelectorAll(".fazhi-item:not([hidden])").length;
        groups[k].element.hidden = visible === 0;
        groups[k].count(visible, list.length > 0);
        for (var n = 0; n < groups[k].toc.length; n++) {
          var link = groups[k].toc[n];
          var entry = link.closest("li") || link;
          entry.hidden = visible === 0;
          var label = link.querySelector(".md-ellipsis") || link;
          if (groups[k].heading) {
            label.textContent = groups[k].heading.textContent;
          }
        }
      }
      if (shown) {
        shown.textContent = String(count);
      }
      empty.hidden = count > 0 || items.length === 0;
      remember(list);
    }

    if (window.URLSearchParams) {
      var params = new URLSearchParams(window.location.search);
      for (var i = 0; i < selects.length; i++) {
        var wanted = params.get(selects[i].name);
        for (var o = 0; wanted && o < selects[i].options.length; o++) {
          if (selects[i].options[o].value === wanted) {
            selects[i].value = wanted;
          }
        }
      }
    }
    form.addEventListener("change", update);
    form.addEventListener("reset", function () {
      window.setTimeout(update, 0); // the form resets its fields after this event
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    update();
  }

  function start() {
    var forms = document.querySelectorAll("form.fazhi-filter");
    for (var i = 0; i < forms.length; i++) {
      setup(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
