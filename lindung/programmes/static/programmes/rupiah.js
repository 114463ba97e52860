// Live echo under each Rupiah field ("Rp 3.000.000.000 (3 miliar)") while a clerk types, so a
// missing or extra zero shows before saving. The server reads the amount again
// (programmes.forms.parse_rupiah); this reads the same shapes only to echo them.
(function () {
  "use strict";
  var FACTORS = { rb: 1e3, ribu: 1e3, k: 1e3, jt: 1e6, juta: 1e6, miliar: 1e9, milyar: 1e9 };
  var lang = document.documentElement.lang || "id";
  var whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var short = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });

  function parse(text) {
    var t = text.toLowerCase().replace(/\s/g, "").replace(/^(rp|idr)\.?/, "").replace(/(,-|\.-|-)$/, "");
    var m = t.match(/^(.*?)(rb|ribu|k|jt|juta|miliar|milyar)?$/);
    var s = m[1];
    var n = null;
    if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) n = s.replace(/\./g, "").replace(",", ".");
    else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) n = s.replace(/,/g, "");
    else if (/^\d+([.,]\d+)?$/.test(s)) n = s.replace(",", ".");
    return n === null ? null : Math.round(parseFloat(n) * (FACTORS[m[2]] || 1));
  }

  function inWords(value, units) { // 3250000000 → "3,25 miliar"
    for (var i = units.length; i > 0; i--) {
      var scaled = value / Math.pow(1000, i);
      if (scaled >= 1) {
        var exact = Math.round(scaled * 100) / 100 === scaled;
        return (exact ? "" : "≈ ") + short.format(scaled) + " " + units[i - 1];
      }
    }
    return "";
  }

  function echo(input, out) {
    var text = input.value.trim();
    var value = text ? parse(text) : null;
    var units = JSON.parse(input.dataset.rupiahUnits);
    if (!text) out.textContent = "";
    else if (value === null) out.textContent = input.dataset.rupiahUnreadable;
    else {
      var words = inWords(value, units);
      out.textContent = "Rp " + whole.format(value) + (words ? " (" + words + ")" : "");
    }
  }

  document.querySelectorAll("input[data-rupiah-units]").forEach(function (input) {
    var out = document.createElement("small");
    out.className = "rupiah-echo";
    out.id = input.id + "_echo";
    out.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", out);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + out.id).trim());
    input.addEventListener("input", function () { echo(input, out); });
    echo(input, out);
  });
})();
