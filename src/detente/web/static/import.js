// Polls an import's progress and updates the page; served as a file so the CSP needs no inline script.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function text(id, value) { document.getElementById(id).textContent = value; }
  function list(id, items, link) {
    var ul = document.getElementById(id);
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    items.forEach(function (item) {
      var li = document.createElement("li");
      if (link) {
        var a = document.createElement("a");
        a.href = "/documents/" + encodeURIComponent(item);
        a.textContent = item;
        li.appendChild(a);
      } else {
        li.textContent = item;
      }
      ul.appendChild(li);
    });
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        text("job-state", job.state);
        text("job-counts", job.read + " read · " + job.stored + " stored · " + job.duplicates +
          " already known · " + job.problems.length + " skipped");
        text("job-message", job.message);
        list("job-problems", job.problems, false);
        list("job-documents", job.documents, true);
        var bar = document.getElementById("job-progress");
        if (job.finished) {
          bar.value = 1;
          box.setAttribute("data-finished", "true");
        } else {
          setTimeout(poll, 500);
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
