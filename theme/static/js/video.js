// Click-to-load YouTube: the privacy-enhanced player is created only after the reader presses play.
document.querySelectorAll("[data-s4a-video]").forEach(function (figure) {
  var id = figure.getAttribute("data-s4a-video");
  var button = figure.querySelector(".s4a-video__play");
  if (!/^[A-Za-z0-9_-]{11}$/.test(id) || !button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var frame = document.createElement("iframe");
    frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1";
    frame.title = button.textContent.trim();
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    button.replaceWith(frame);
    frame.focus();
  });
});
