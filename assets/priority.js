/* Priority page (pages/priority.py): draws the indicators' trend charts. Their figures wait in a dcc.Store
   and plotly.js draws each into the box kept for it at its height, so nothing moves. The first screen's
   charts (data-draw="with-page") are drawn as soon as the page has been shown, one chart per task, so the
   browser paints the page first and stays responsive between charts (four charts drawn in one go blocked
   it for about 350 ms). The others are drawn when they are about to be scrolled into view, or before the
   page is printed, so a priority with dozens of indicators opens as quickly as one with a handful. Dash
   loads every file in assets/ on every page; nothing here acts unless a priority page hands it charts. */
(function () {
    "use strict";

    var SLOT = "[data-chart]";
    var WITH_PAGE = '[data-draw="with-page"]';
    var DRAWN = "data-drawn";
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
    var queue = []; // indicator codes of the charts to draw, one per task
    var scheduled = false;

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

    function slotFor(code) {
        return document.querySelector('[data-chart="' + code + '"]');
    }

    function drawInto(slot) {
        var code = slot.getAttribute("data-chart");
        var figure = waiting[code];
        if (!figure) {
            return;
        }
        delete waiting[code];
        if (observer) {
            observer.unobserve(slot);
        }
        window.Plotly.newPlot(slot, figure.data, figure.layout, config).then(function () {
            // What the benchmark and the browser tests wait for (benchmarks/browser.py DASH_BUSY_JS).
            slot.setAttribute(DRAWN, "");
        });
    }

    // After the next frame has been painted: rendering comes before each chart, not after all of them.
    function afterPaint(callback) {
        window.requestAnimationFrame(function () { window.setTimeout(callback, 0); });
    }

    function drawNext() {
        if (!queue.length) {
            scheduled = false;
            return;
        }
        if (!window.Plotly || typeof window.Plotly.newPlot !== "function") {
            plotly().then(function () { afterPaint(drawNext); });
            return;
        }
        // Looked up now: Dash may have put a new box in the document since the chart was queued.
        var slot = slotFor(queue.shift());
        if (slot) {
            drawInto(slot);
        }
        afterPaint(drawNext);
    }

    function enqueue(slot) {
        var code = slot.getAttribute("data-chart");
        if (queue.indexOf(code) !== -1) {
            return;
        }
        queue.push(code);
        if (!scheduled) {
            scheduled = true;
            afterPaint(drawNext);
        }
    }

    function drawAll() {
        if (window.Plotly && typeof window.Plotly.newPlot === "function") {
            queue = [];
            document.querySelectorAll(SLOT).forEach(drawInto);
        }
    }

    function observe(slots) {
        slots.filter(function (slot) { return slot.matches(WITH_PAGE); }).forEach(enqueue);
        var later = slots.filter(function (slot) { return !slot.matches(WITH_PAGE); });
        if (!later.length) {
            return;
        }
        if (!("IntersectionObserver" in window)) {
            later.forEach(enqueue);
            return;
        }
        observer = new IntersectionObserver(function (entries) {
            entries.forEach(function (entry) {
                if (entry.isIntersecting) {
                    enqueue(entry.target);
                }
            });
        }, {rootMargin: MARGIN});
        later.forEach(function (slot) { observer.observe(slot); });
    }

    // Called with the page's charts each time a priority page arrives (a new page or a filter change);
    // returns how many wait to be drawn.
    function watch(charts) {
        if (observer) {
            observer.disconnect();
            observer = null;
        }
        queue = [];
        waiting = Object.assign({}, (charts && charts.figures) || {});
        config = (charts && charts.config) || {};
        var expected = Object.keys(waiting).length;
        // A box Dash kept from the page before (the same priority under new filters) shows its old chart
        // until the new one is drawn, and is no longer counted as drawn.
        document.querySelectorAll(SLOT).forEach(function (slot) { slot.removeAttribute(DRAWN); });
        var frames = 0;
        function whenInDocument() {
            var slots = Array.prototype.filter.call(document.querySelectorAll(SLOT), function (slot) {
                return slot.getAttribute("data-chart") in waiting;
            });
            if (slots.length < expected && frames++ < PATIENCE) {
                window.requestAnimationFrame(whenInDocument);
                return;
            }
            observe(slots);
        }
        if (expected) {
            plotly();  // on its way while the page is shown
            window.requestAnimationFrame(whenInDocument);
        }
        return expected;
    }

    // Printing shows every chart, scrolled to or not: drawn now, before the browser lays out the pages.
    window.addEventListener("beforeprint", drawAll);

    window.dash_clientside = Object.assign({}, window.dash_clientside, {priority: {watch: watch}});
})();
