// gatecheck's HTML report. Progressive enhancement: the page is complete without this
// script (every detail row shows); with it, a click on a row opens its steps, a bar
// filters rows by verdict, and `#open=<test id>` in the URL opens that scenario, so a
// CI log can link straight to it. Text is only ever set with textContent: nothing read
// from the page or the URL becomes markup.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row"));
  var LABELS = {
    passed: "passed",
    failed: "failed",
    same: "same",
    diverges: "diverges",
    known: "known",
    fails_on_a: "fails on A",
    fails_on_b: "fails on B",
    skipped: "skipped",
    xfailed: "xfailed"
  };

  function detailOf(row) {
    return document.getElementById(row.getAttribute("data-detail"));
  }

  function setOpen(row, open) {
    var detail = detailOf(row);
    if (!detail) {
      return;
    }
    detail.classList.toggle("open", open);
    row.classList.toggle("open", open);
    var button = row.querySelector("button.toggle");
    if (button) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  rows.forEach(function (row) {
    row.addEventListener("click", function () {
      var open = !row.classList.contains("open");
      setOpen(row, open);
      if (open && window.history && history.replaceState) {
        history.replaceState(null, "", "#open=" + encodeURIComponent(row.getAttribute("data-id")));
      }
    });
  });

  // Group headers (API, area) hide when every row under them is filtered out.
  function hideEmptyGroups() {
    var headers = document.querySelectorAll("tr.api, tr.area");
    Array.prototype.forEach.call(headers, function (header) {
      var visible = false;
      for (var next = header.nextElementSibling; next; next = next.nextElementSibling) {
        if (next.classList.contains("api") || (header.classList.contains("area") && next.classList.contains("area"))) {
          break;
        }
        if (next.classList.contains("row") && !next.classList.contains("filtered")) {
          visible = true;
          break;
        }
      }
      header.classList.toggle("group-empty", !visible);
    });
  }

  function filter(verdict) {
    rows.forEach(function (row) {
      var hide = verdict !== "all" && row.getAttribute("data-verdict") !== verdict;
      row.classList.toggle("filtered", hide);
      var detail = detailOf(row);
      if (detail) {
        detail.classList.toggle("filtered", hide);
      }
    });
    hideEmptyGroups();
    Array.prototype.forEach.call(document.querySelectorAll("#filters button[data-filter]"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-filter") === verdict ? "true" : "false");
    });
  }

  // One button per verdict present, with its count, counted from the rows themselves.
  var bar = document.getElementById("filters");
  if (bar) {
    var counts = {};
    rows.forEach(function (row) {
      var v = row.getAttribute("data-verdict");
      counts[v] = (counts[v] || 0) + 1;
    });
    var add = function (verdict, label, count) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("data-filter", verdict);
      b.setAttribute("aria-pressed", verdict === "all" ? "true" : "false");
      b.className = "v-" + verdict;
      var word = document.createElement("span");
      word.textContent = label + " ";
      var n = document.createElement("span");
      n.className = "count";
      n.textContent = String(count);
      b.appendChild(word);
      b.appendChild(n);
      b.addEventListener("click", function () {
        filter(verdict);
      });
      bar.appendChild(b);
    };
    add("all", "all", rows.length);
    Object.keys(LABELS).forEach(function (v) {
      if (counts[v]) {
        add(v, LABELS[v], counts[v]);
      }
    });
    var both = function (label, open) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", function () {
        rows.forEach(function (row) {
          if (!row.classList.contains("filtered")) {
            setOpen(row, open);
          }
        });
      });
      bar.appendChild(b);
    };
    both("open all", true);
    both("close all", false);
  }

  var wanted = /^#open=(.*)$/.exec(window.location.hash);
  if (wanted) {
    var id = "";
    try {
      id = decodeURIComponent(wanted[1]);
    } catch (e) {
      id = "";
    }
    rows.forEach(function (row) {
      if (row.getAttribute("data-id") === id) {
        setOpen(row, true);
        // Scrolled to only when the first screen does not show the row already.
        if (row.getBoundingClientRect().bottom > window.innerHeight) {
          row.scrollIntoView();
        }
      }
    });
  }
  root.setAttribute("data-rows", String(rows.length));
})();
