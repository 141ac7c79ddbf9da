// The alert page's progress section, kept current while the alert is sending: polls the
// page's progress.json every 2 s and writes the numbers in with textContent (the strict
// CSP allows no inline script or style). Without JavaScript the page shows the same on reload.
(function () {
  "use strict";
  var INTERVAL = 2000;

  function start() {
    var section = document.querySelector("[data-progress-url]");
    if (!section || !window.fetch) {
      return;
    }
    var url = section.getAttribute("data-progress-url");

    function setText(name, value) {
      // The whole page: the heading's badge carries the state too.
      var nodes = document.querySelectorAll('[data-field="' + name + '"]');
      for (var i = 0; i < nodes.length; i++) {
        nodes[i].textContent = String(value);
      }
    }

    function showFailures(failures) {
      var box = section.querySelector("[data-field-failures]");
      if (!box) {
        return;
      }
      var list = box.querySelector("ul");
      var noCode = list.getAttribute("data-no-code") || "";
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      for (var i = 0; i < failures.length; i++) {
        var item = document.createElement("li");
        item.textContent = (failures[i].code || noCode) + ": " + failures[i].count;
        list.appendChild(item);
      }
      box.hidden = failures.length === 0;
    }

    function update(data) {
      var bar = section.querySelector("progress");
      if (bar) {
        bar.setAttribute("max", String(data.total || 1));
        bar.setAttribute("value", String(data.done));
      }
      setText("percent_text", data.percent + "%");
      setText("done", data.done);
      setText("total", data.total);
      setText("status_label", data.status_label);
      // Each language's row: its name, then one cell per bucket in the table's order.
      var table = section.querySelector("table[data-buckets]");
      var buckets = table ? table.getAttribute("data-buckets").split(" ") : [];
      Object.keys(data.by_language).forEach(function (language) {
        var row = table && table.querySelector('tr[data-language="' + language + '"]');
        if (!row) {
          return;
        }
        var cells = row.querySelectorAll("td");
        for (var i = 0; i < buckets.length && i + 1 < cells.length; i++) {
          cells[i + 1].textContent = String(data.by_language[language][buckets[i]]);
        }
      });
      showFailures(data.failures || []);
      // Every text handed over: nothing left to stop, even before the worker closes it.
      if (data.finished || data.percent >= 100) {
        var links = document.querySelectorAll("[data-hide-when-finished]");
        for (var i = 0; i < links.length; i++) {
          links[i].hidden = true;
        }
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          update(data);
          if (!data.finished) {
            window.setTimeout(poll, INTERVAL);
          }
        })
        .catch(function () {
          // A dropped connection or a signed-out session: try again, less often; the
          // Refresh link still works.
          window.setTimeout(poll, INTERVAL * 5);
        });
    }

    window.setTimeout(poll, INTERVAL);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
