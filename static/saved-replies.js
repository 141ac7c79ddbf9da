// Saved replies on a request's page: a tap puts the reply in the text box without reloading
// the page. Without this script each reply is a link that reloads the page with the box
// filled, so nothing depends on it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("message");
    if (!box) return;
    document.querySelectorAll("a[data-reply-body]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        box.value = link.getAttribute("data-reply-body");
        box.focus();
      });
    });
  });
})();
