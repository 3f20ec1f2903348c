// While someone types into a form, tell Headway now and then that they are still here, so the
// idle sign-out (ADR 23) does not end their session while they write a long reason.
(function () {
  var script = document.currentScript;
  var address = script && script.getAttribute("data-address");
  var every = 1000 * Number(script && script.getAttribute("data-every-seconds"));
  if (!address || !every || !window.fetch) {
    return;
  }
  var last = Date.now();
  document.addEventListener("input", function () {
    var now = Date.now();
    if (now - last >= every) {
      last = now;
      window.fetch(address, { credentials: "same-origin", cache: "no-store" });
    }
  });
})();
