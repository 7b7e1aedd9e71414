// 书香法院 (reading family) scripts. No inline scripts: data arrives through json_script.
(function () {
  "use strict";

  // Screen mode: show the posters one after another, full screen, for the lobby LED screen.
  function startScreen(stage) {
    var configEl = document.getElementById("screen-config");
    var config = configEl ? JSON.parse(configEl.textContent) : {};
    var seconds = Math.max(5, Number(config.seconds) || 12);
    var images = Array.prototype.slice.call(stage.querySelectorAll("img"));
    var portrait = window.innerHeight > window.innerWidth;
    images.forEach(function (img) {
      img.src = portrait ? img.dataset.portrait : img.dataset.landscape;
    });
    var current = 0;
    function show(index) {
      if (!images.length) return;
      images[current].classList.remove("is-current");
      current = (index + images.length) % images.length;
      images[current].classList.add("is-current");
    }
    var timer = images.length > 1 ? window.setInterval(function () { show(current + 1); }, seconds * 1000) : null;
    document.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === " ") show(current + 1);
      if (event.key === "ArrowLeft") show(current - 1);
    });
    var button = document.getElementById("screen-fullscreen");
    if (button) {
      button.addEventListener("click", function () {
        var root = document.documentElement;
        if (document.fullscreenElement) document.exitFullscreen();
        else if (root.requestFullscreen) root.requestFullscreen();
      });
    }
    // Pick up new or redrawn posters now and then.
    var reload = Math.max(1, Number(config.reloadMinutes) || 10);
    window.setTimeout(function () {
      if (timer) window.clearInterval(timer);
      window.location.reload();
    }, reload * 60 * 1000);
    stage.dataset.ready = "1";
  }

  // A page waiting for posters to be drawn reloads itself a few times.
  function waitForPosters(el) {
    var tries = Number(sessionStorage.getItem("reading-poster-wait") || "0");
    if (tries >= 20) return;
    window.setTimeout(function () {
      sessionStorage.setItem("reading-poster-wait", String(tries + 1));
      window.location.reload();
    }, (Number(el.dataset.readingRefresh) || 4) * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var stage = document.getElementById("screen-stage");
    if (stage) startScreen(stage);
    var waiting = document.querySelector("[data-reading-refresh]");
    if (waiting) waitForPosters(waiting);
    else sessionStorage.removeItem("reading-poster-wait");
  });
})();
