// Story search on Pagefind's JavaScript API: the index for this page's language, filters, plain links.
(function () {
  var root = document.querySelector("[data-s4a-search]");
  if (!root) return;
  var form = root.querySelector("form");
  var input = root.querySelector("input[type=search]");
  var status = root.querySelector(".s4a-search__status");
  var list = root.querySelector(".s4a-search__results");
  var selects = root.querySelectorAll("select[data-filter]");
  var pagefind = null;

  function label(name, n) {
    return (root.getAttribute("data-label-" + name) || "").replace("{n}", String(n));
  }

  function chosenFilters() {
    var chosen = {};
    selects.forEach(function (select) {
      if (select.value) chosen[select.getAttribute("data-filter")] = select.value;
    });
    return chosen;
  }

  // A result matches a filter when its metadata (space-separated values) contains the chosen value.
  function matches(data, filters) {
    return Object.keys(filters).every(function (key) {
      return ((data.meta && data.meta[key]) || "").split(" ").indexOf(filters[key]) !== -1;
    });
  }

  function show(results) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li");
      item.className = "s4a-search__result";
      var link = document.createElement("a");
      link.className = "s4a-search__link";
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      var excerpt = document.createElement("p");
      excerpt.className = "s4a-search__excerpt";
      // Pagefind's excerpt is text from our own sanitised pages, with <mark> around the matches.
      excerpt.innerHTML = data.excerpt;
      item.appendChild(link);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    status.textContent = results.length ? label("results", results.length) : label("none", 0);
  }

  function run() {
    var query = input.value.trim();
    var filters = chosenFilters();
    if (!query) {
      list.textContent = "";
      status.textContent = Object.keys(filters).length ? label("empty", 0) : "";
      return;
    }
    status.textContent = label("loading", 0);
    pagefind.search(query)
      .then(function (search) {
        return Promise.all(search.results.slice(0, 200).map(function (r) { return r.data(); }));
      })
      .then(function (all) {
        show(all.filter(function (data) { return matches(data, filters); }).slice(0, 20));
      });
  }

  import(root.getAttribute("data-bundle") + "pagefind.js")
    .then(function (module) {
      pagefind = module;
      return pagefind.options({ baseUrl: root.getAttribute("data-base-url") });
    })
    .then(function () {
      form.hidden = false;
      var params = new URLSearchParams(location.search);
      if (params.get("q")) {
        input.value = params.get("q");
        run();
      }
    })
    .catch(function () {
      status.textContent = label("failed", 0);
    });

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  selects.forEach(function (select) { select.addEventListener("change", run); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
})();
