// Copy-link button: shown only where the clipboard can be used; a button, so Enter and Space work.
document.querySelectorAll(".s4a-share__copy").forEach(function (button) {
  if (!navigator.clipboard) return;
  var status = button.closest(".s4a-share").querySelector(".s4a-share__status");
  button.hidden = false;
  button.addEventListener("click", function () {
    var url = new URL(button.getAttribute("data-url"), location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      status.textContent = button.getAttribute("data-done");
    });
  });
});
