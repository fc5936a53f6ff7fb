// Renders each team's charts when its section is first shown, and switches teams.
(function () {
  "use strict";
  const specs = JSON.parse(document.getElementById("chart-specs").textContent);
  const options = { renderer: "svg", actions: false };

  function render(section) {
    if (section.dataset.rendered) return;
    section.dataset.rendered = "true";
    section.querySelectorAll("[data-chart]").forEach(function (el) {
      vegaEmbed(el, specs[el.dataset.chart], options)
        .then(function () { el.dataset.rendered = "true"; })
        .catch(function (error) { el.dataset.rendered = "error"; console.error(el.dataset.chart, error); });
    });
  }

  function show(team) {
    document.querySelectorAll("section.team").forEach(function (section) {
      section.hidden = section.dataset.team !== team;
      if (!section.hidden) render(section);
    });
  }

  const select = document.getElementById("team");
  render(document.getElementById("overview"));
  if (select) {
    select.addEventListener("change", function () { show(select.value); });
    show(select.value);
  }
})();
