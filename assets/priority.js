/* Priority page (pages/priority.py): the trend charts after the first few are drawn when they are about
   to be scrolled into view, or before the page is printed, so a priority with dozens of indicators opens
   as quickly as one with a handful. Their figures wait in a dcc.Store; plotly.js draws each into the box
   kept for it, so nothing moves. Dash loads every file in assets/ on every page; nothing here acts unless
   a priority page hands it charts. */
(function () {
    "use strict";

    var SLOT = "[data-chart]";
    // Draw a chart when it comes within half a screen of the window, so scrolling rarely meets an empty box.
    var MARGIN = "50% 0px";
    // Frames to wait for Dash to put a new page's boxes in the document.
    var PATIENCE = 60;

    // Where Dash's renderer loads plotly.js from when a page first needs it (shell.install_partial_plotly
    // answers there with the dashboard's partial bundle); used if the renderer has not said.
    var PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js";

    var observer = null;
    var waiting = {}; // indicator code -> figure
    var config = {};

    function plotlyURL() {
        if (window._dashPlotlyJSURL) {
            return window._dashPlotlyJSURL;
        }
        var dashConfig = document.getElementById("_dash-config");
        var prefix = dashConfig ? JSON.parse(dashConfig.textContent).requests_pathname_prefix : "/";
        return (prefix || "/") + PLOTLY_PATH;
    }

    // plotly.js, loaded once. Dash loads it only when a page first shows a chart; dcc.Graph takes
    // window.Plotly as it is or as a promise of it, so while this loads it waits for the same file rather
    // than fetching it a second time.
    function plotly() {
        if (window.Plotly) {
            return Promise.resolve(window.Plotly);
        }
        var url = plotlyURL();
        var script = document.querySelector('script[src="' + url + '"]');  // Dash's, already on its way
        if (!script) {
            script = document.createElement("script");
            script.src = url;
            script.async = true;
            document.head.appendChild(script);
        }
        var loading = new Promise(function (resolve, reject) {
            script.addEventListener("load", function () { resolve(window.Plotly); });
            script.addEventListener("error", reject);
        });
        window.Plotly = loading;  // replaced by plotly.js itself once it has run
        return loading;
    }

    function drawInto(slot) {
        var code = slot.getAttribute("data-chart");
        var figure = waiting[code];
        if (!figure) {
            return;
        }
        if (!window.Plotly || typeof window.Plotly.newPlot !== "function") {
            plotly().then(function () { drawInto(slot); });
            return;
        }
        delete waiting[code];
        if (observer) {
            observer.unobserve(slot);
        }
        window.Plotly.newPlot(slot, figure.data, figure.layout, config);
    }

    function drawAll() {
        document.querySelectorAll(SLOT).forEach(drawInto);
    }

    function observe(slots) {
        if (!("IntersectionObserver" in window)) {
            slots.forEach(drawInto);
            return;
        }
        observer = new IntersectionObserver(function (entries) {
            entries.forEach(function (entry) {
                if (entry.isIntersecting) {
                    drawInto(entry.target);
                }
            });
        }, {rootMargin: MARGIN});
        slots.forEach(function (slot) { observer.observe(slot); });
    }

    // Called with the page's charts each time a priority page arrives (a new page or a filter change);
    // returns how many wait to be drawn.
    function watch(charts) {
        if (observer) {
            observer.disconnect();
            observer = null;
        }
        waiting = Object.assign({}, (charts && charts.figures) || {});
        config = (charts && charts.config) || {};
        var expected = Object.keys(waiting).length;
        var frames = 0;
        function whenInDocument() {
            var slots = document.querySelectorAll(SLOT);
            if (slots.length < expected && frames++ < PATIENCE) {
                window.requestAnimationFrame(whenInDocument);
                return;
            }
            observe(slots);
        }
        if (expected) {
            window.requestAnimationFrame(whenInDocument);
        }
        return expected;
    }

    // Printing shows every chart, scrolled to or not: drawn now, before the browser lays out the pages.
    window.addEventListener("beforeprint", drawAll);

    window.dash_clientside = Object.assign({}, window.dash_clientside, {priority: {watch: watch}});
})();
