/* fazhi: the local preview's banner of data problems (make serve only; added by the hook).
 *
 * After every rebuild the hook writes guide/preview-status.json. While the data has
 * problems, the preview keeps the last pages that passed the check, and this script shows
 * the problems at the top of every page, each as `check` prints it, with a link to the page
 * that lists them all. Text is set with textContent: the problems quote what staff typed.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = script.src.replace(/assets\/fazhi\/preview\.js(\?.*)?$/, "");
  var SHOWN = 5;

  function banner(status) {
    var box = document.createElement("div");
    box.className = "fazhi-preview-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "background:#fff3e0;color:#5d2c00;border:2px solid #e65100;" +
      "padding:.8rem 1rem;margin:.5rem;border-radius:4px;font-size:1rem;line-height:1.6";
    var head = document.createElement("strong");
    head.textContent = "预览：数据里有 " + status.count + " 个问题，涉及 " + status.files +
      " 个文件。" + (status.stale ? "页面暂时显示上一次检查通过时的内容；" : "数据还没有通过过检查；") +
      "改正并保存后会自动刷新。";
    box.appendChild(head);
    var list = document.createElement("ul");
    status.problems.slice(0, SHOWN).forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      item.style.wordBreak = "break-all";
      list.appendChild(item);
    });
    box.appendChild(list);
    var more = document.createElement("a");
    more.href = root + status.page;
    more.textContent = status.count > SHOWN ? "查看全部 " + status.count + " 个问题" : "在单独的页面查看";
    box.appendChild(more);
    return box;
  }

  fetch(root + "guide/preview-status.json", { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (status) {
      if (!status || !status.count) return;
      var target = document.querySelector(".md-main") || document.body;
      target.insertBefore(banner(status), target.firstChild);
    })
    .catch(function () { /* no status yet: nothing to show */ });
})();
