/*
 * fazhi 适老化: the 「大字」 (large text) button.
 *
 * Pressing the button toggles the class `fazhi-large-text` on <html>, which raises the base
 * font size (see fazhi.css); the choice is remembered in localStorage and shared by every
 * page and open tab. This script is loaded in <head> so that a remembered choice applies
 * before the page is drawn; it shows the button (hidden without JavaScript, where it could
 * do nothing) once the page is parsed. The button is a native <button> (keyboard operable)
 * whose aria-pressed tells assistive technology whether large text is on.
 */
(function () {
  "use strict";

  var KEY = "fazhi.largeText";
  var CLASS = "fazhi-large-text";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (error) {
      return false; // storage disabled: large text lasts for this page only
    }
  }

  function remember(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "1");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      /* storage disabled: nothing to remember */
    }
  }

  function buttons() {
    return document.querySelectorAll("button.fazhi-textsize");
  }

  function apply(on) {
    if (on) {
      root.classList.add(CLASS);
    } else {
      root.classList.remove(CLASS);
    }
    var all = buttons();
    for (var i = 0; i < all.length; i++) {
      all[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function toggle() {
    var on = !root.classList.contains(CLASS);
    apply(on);
    remember(on);
  }

  function setup() {
    var all = buttons();
    for (var i = 0; i < all.length; i++) {
      all[i].addEventListener("click", toggle);
      all[i].hidden = false;
    }
    apply(root.classList.contains(CLASS));
  }

  apply(remembered());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      apply(event.newValue === "1");
    }
  });
})();
